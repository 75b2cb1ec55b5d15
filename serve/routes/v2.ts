/**
 * Open Inference Protocol v2 (KServe / Triton HTTP) routes: health, model metadata, infer. Plain JSON infer
 * requests are answered by infer-fast-path.ts before express sees them; this route takes the rest
 * (compressed or chunked bodies, other charsets, bodies over the limit, …).
 */
import express, { Router, type Request, type Response } from 'express';
import { notFound, unsupportedMedia } from '../errors.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ServedModel } from '../models/served-model.js';
import { inferAnswer } from './infer-answer.js';
import { parseInferRequest } from './infer-request.js';

export interface V2Options {
  maxJsonBytes: number;
  maxBatchImages: number;
}

export function modelMetadata(m: ServedModel, registry: ModelRegistry) {
  return {
    name: m.name,
    versions: ['1'],
    platform: 'onnxruntime_onnx',
    aliases: registry.defaultName === m.name ? ['default'] : [],
    inputs: [{ name: m.inputName, datatype: 'FP32', shape: [-1, ...m.imageDims] }],
    outputs: [{ name: m.outputName, datatype: 'FP32', shape: [-1, m.classes] }],
    labels: m.labels,
    preprocessing: m.preprocessing,
    crop: m.crop,
    outputKind: m.outputKind,
    layers: m.activations.layers.map(({ name, op, value }) => ({ name, op, output: value })),
    /** Also answered by name (not in the default set): the classifier's logits, before its softmax. */
    logits: m.activations.logits && {
      name: m.activations.logits.name,
      op: m.activations.logits.op,
      output: m.activations.logits.value,
    },
  };
}

/** Every model is served as version "1" (the metadata's `versions`); the protocol's versioned paths name it. */
export const MODEL_VERSION = '1';

/** The model a request names; `version`, when the path has one, must be the one version served. */
function named(registry: ModelRegistry, params: { name: string; version?: string }): ServedModel {
  const model = registry.get(params.name);
  if (params.version !== undefined && params.version !== MODEL_VERSION)
    throw notFound(
      `model ${params.name} has no version "${params.version.slice(0, 40)}"; served versions: ${MODEL_VERSION}`,
    );
  return model;
}

export function v2Routes(registry: ModelRegistry, opts: V2Options, isReady: () => boolean): Router {
  const r = Router();
  r.get('/v2', (_req, res) => void res.json({ name: 'actprobe', version: '0.1.0', extensions: ['activations'] }));
  r.get('/v2/models', (_req, res) => {
    const served = registry.all().map((m) => ({
      name: m.name,
      versions: [MODEL_VERSION],
      state: 'READY',
      aliases: registry.defaultName === m.name ? ['default'] : [],
    }));
    const broken = registry.broken.map((b) => ({
      name: b.name,
      versions: [MODEL_VERSION],
      state: 'UNAVAILABLE',
      reason: b.error,
      aliases: [],
    }));
    res.json({ models: [...served, ...broken].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) });
  });
  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    r.get(
      base,
      (req, res) =>
        void res.json(modelMetadata(named(registry, req.params as { name: string; version?: string }), registry)),
    );
    r.get(
      `${base}/ready`,
      (req, res) =>
        void res.json({
          name: named(registry, req.params as { name: string; version?: string }).name,
          ready: isReady(),
        }),
    );
  }
  const infer = async (req: Request, res: Response): Promise<void> => {
    const model = named(registry, req.params as { name: string; version?: string });
    if (!req.is('application/json'))
      throw unsupportedMedia(
        `send the inference request as Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`,
      );
    res.json(await inferAnswer(model, parseInferRequest(req.body, model, opts.maxBatchImages)));
  };
  // Two registrations, not one array route: the metrics' route label is the matched pattern string.
  r.post('/v2/models/:name/infer', express.json({ limit: opts.maxJsonBytes }), infer);
  r.post('/v2/models/:name/versions/:version/infer', express.json({ limit: opts.maxJsonBytes }), infer);
  return r;
}
