/**
 * POST /v1/models/:name/classify — a raw image/png, image/jpeg or image/webp body, or multipart field `image`.
 * Query: top (default 5), activations none|stats|full (default stats), layers (comma list).
 * Returns top-k labels with scores, every class probability, and the layer activations.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import * as ort from 'onnxruntime-node';
import { badRequest, unprocessable, unsupportedMedia } from '../errors.js';
import { decodeImage, defaultPreprocessing } from '../image.js';
import type { ModelRegistry } from '../models/registry.js';
import { activationModes, type ActivationMode } from './infer-request.js';

export interface ClassifyOptions {
  maxImageBytes: number;
  maxImagePixels: number;
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function parseQuery(q: Request['query'], classes: number): { top: number; mode: ActivationMode; layers?: string[] } {
  const top = one(q.top) === undefined ? Math.min(5, classes) : Number(one(q.top));
  if (!Number.isInteger(top) || top < 1 || top > classes)
    throw badRequest(`top=${String(q.top)} must be an integer in 1..${classes}`);
  const mode = one(q.activations) ?? 'stats';
  if (!(activationModes as readonly string[]).includes(mode))
    throw badRequest(`activations=${mode} must be one of ${activationModes.join(', ')}`);
  const layers = one(q.layers)?.split(',').filter(Boolean);
  return { top, mode: mode as ActivationMode, layers };
}

export function classifyRoutes(registry: ModelRegistry, opts: ClassifyOptions): Router {
  const r = Router();
  const raw = express.raw({ type: IMAGE_TYPES, limit: opts.maxImageBytes });
  const form = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: opts.maxImageBytes, files: 1, fields: 8, parts: 9 },
  }).single('image');
  // Pick the body reader by Content-Type; anything else is a 415 before a byte is buffered.
  const body = (req: Request<{ name: string }>, res: Response, next: NextFunction): void => {
    registry.get(req.params.name);
    if (req.is('multipart/form-data')) void form(req, res, next);
    else if (req.is(IMAGE_TYPES)) void raw(req, res, next);
    else
      next(
        unsupportedMedia(
          `send image/png, image/jpeg, image/webp or multipart/form-data with field "image" (got ${req.get('content-type') ?? 'no Content-Type'})`,
        ),
      );
  };
  r.post('/v1/models/:name/classify', body, async (req: Request<{ name: string }>, res: Response) => {
    const model = registry.get(req.params.name);
    const bytes = req.file?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : null);
    if (!bytes || bytes.length === 0)
      throw badRequest(req.is('multipart/form-data') ? 'multipart body has no file field "image"' : 'empty image body');
    if (!model.metadata && !model.card)
      throw unprocessable(
        `model ${model.name} carries no actprobe metadata (labels, input size, preprocessing); use /v2/models/${model.name}/infer`,
      );
    const q = parseQuery(req.query, model.classes);
    const pre = model.preprocessing ?? defaultPreprocessing(model.imageDims[0]);
    const image = await decodeImage(bytes, model.imageDims, pre, opts.maxImagePixels, model.crop);
    let scores: Float32Array;
    let activations: unknown[] = [];
    if (q.mode === 'none') scores = await model.infer(image.tensor, 1);
    else {
      const run = await model.activations.run(new ort.Tensor('float32', image.tensor, [1, ...model.imageDims]), {
        mode: q.mode,
        layers: q.layers,
      });
      scores = run.output.data as Float32Array;
      activations = run.layers.map(({ data, ...stats }) => ({
        ...stats,
        ...(data ? { maps: channelMaps(data, stats.shape) } : {}),
      }));
    }
    if (model.outputKind === 'logits') scores = softmax(scores);
    const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
    res.json({
      model: model.name,
      image: image.source,
      top: order.slice(0, q.top).map((i) => ({ label: model.labels[i], index: i, score: scores[i] })),
      probabilities: Array.from(scores),
      activations,
    });
  });
  return r;
}

function softmax(logits: Float32Array): Float32Array {
  const max = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** One flat H·W (or 1) array per channel: what a client needs to draw a heatmap. */
function channelMaps(data: Float32Array, shape: number[]): number[][] {
  const channels = shape[1] ?? 1;
  const inner = data.length / channels;
  return Array.from({ length: channels }, (_, c) => Array.from(data.subarray(c * inner, (c + 1) * inner)));
}
