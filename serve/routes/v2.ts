/** Open Inference Protocol v2 (KServe / Triton HTTP) routes: health, model metadata, infer. */
import express, { Router } from 'express';
import * as ort from 'onnxruntime-node';
import type { LayerActivation } from '../activations.js';
import { unsupportedMedia } from '../errors.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ServedModel } from '../models/served-model.js';
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
    preprocessing: m.metadata?.preprocessing ?? null,
    layers: m.activations.layers.map(({ name, op, value }) => ({ name, op, output: value })),
  };
}

const tensorOut = (name: string, shape: number[], data: Float32Array, parameters?: Record<string, string>) => ({
  name,
  datatype: 'FP32',
  shape,
  data: Array.from(data),
  ...(parameters ? { parameters } : {}),
});

const statsOnly = ({ name, op, shape, channels }: LayerActivation) => ({ name, op, shape, channels });

export function v2Routes(registry: ModelRegistry, opts: V2Options, isReady: () => boolean): Router {
  const r = Router();
  r.get('/v2', (_req, res) => void res.json({ name: 'actprobe', version: '0.1.0', extensions: ['activations'] }));
  r.get('/v2/models/:name', (req, res) => void res.json(modelMetadata(registry.get(req.params.name), registry)));
  r.get('/v2/models/:name/ready', (req, res) => void res.json({ name: registry.get(req.params.name).name, ready: isReady() }));
  r.post('/v2/models/:name/infer', express.json({ limit: opts.maxJsonBytes }), async (req, res) => {
    const model = registry.get(req.params.name);
    if (!req.is('application/json')) throw unsupportedMedia(`send the inference request as Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`);
    const q = parseInferRequest(req.body, model, opts.maxBatchImages);
    const outShape = [q.images, model.classes];
    const base = { model_name: model.name, model_version: '1', ...(q.id !== undefined ? { id: q.id } : {}) };
    if (q.mode === 'none') {
      const scores = await model.infer(q.input, q.images);
      res.json({ ...base, outputs: [tensorOut(model.outputName, outShape, scores)] });
      return;
    }
    const tensor = new ort.Tensor('float32', q.input, [q.images, ...model.imageDims]);
    const run = await model.activations.run(tensor, { mode: q.mode, layers: q.layers });
    const maps = run.layers.flatMap((l) => (l.data ? [tensorOut(l.name, [q.images, ...l.shape.slice(1)], l.data, { layer: l.name, op: l.op })] : []));
    res.json({
      ...base,
      parameters: { activations: q.mode },
      outputs: [tensorOut(model.outputName, outShape, run.output.data as Float32Array), ...maps],
      activations: run.layers.map(statsOnly),
    });
  });
  return r;
}
