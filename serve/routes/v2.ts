/**
 * Open Inference Protocol v2 (KServe / Triton HTTP) routes: health, model metadata, infer. Plain JSON infer
 * requests are answered by infer-fast-path.ts before express sees them; this route takes the rest
 * (compressed or chunked bodies, other charsets, bodies over the limit, …).
 */
import express, { Router } from 'express';
import { unsupportedMedia } from '../errors.js';
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
  };
}

export function v2Routes(registry: ModelRegistry, opts: V2Options, isReady: () => boolean): Router {
  const r = Router();
  r.get('/v2', (_req, res) => void res.json({ name: 'actprobe', version: '0.1.0', extensions: ['activations'] }));
  r.get('/v2/models/:name', (req, res) => void res.json(modelMetadata(registry.get(req.params.name), registry)));
  r.get('/v2/models/:name/ready', (req, res) => void res.json({ name: registry.get(req.params.name).name, ready: isReady() }));
  r.post('/v2/models/:name/infer', express.json({ limit: opts.maxJsonBytes }), async (req, res) => {
    const model = registry.get(req.params.name);
    if (!req.is('application/json')) throw unsupportedMedia(`send the inference request as Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`);
    res.json(await inferAnswer(model, parseInferRequest(req.body, model, opts.maxBatchImages)));
  });
  return r;
}
