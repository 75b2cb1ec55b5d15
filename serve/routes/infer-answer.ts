/** Runs a validated /v2 infer request and builds its Open Inference Protocol answer (express route and fast path). */
import * as ort from 'onnxruntime-node';
import type { LayerActivation } from '../activations.js';
import type { ServedModel } from '../models/served-model.js';
import type { InferRequest } from './infer-request.js';

const tensorOut = (name: string, shape: number[], data: Float32Array, parameters?: Record<string, string>) => ({
  name,
  datatype: 'FP32',
  shape,
  data: Array.from(data),
  ...(parameters ? { parameters } : {}),
});

const statsOnly = ({ name, op, shape, channels }: LayerActivation) => ({ name, op, shape, channels });

export async function inferAnswer(model: ServedModel, q: InferRequest): Promise<Record<string, unknown>> {
  const outShape = [q.images, model.classes];
  const base = { model_name: model.name, model_version: '1', ...(q.id !== undefined ? { id: q.id } : {}) };
  if (q.mode === 'none') {
    const scores = await model.infer(q.input, q.images);
    return { ...base, outputs: [tensorOut(model.outputName, outShape, scores)] };
  }
  const tensor = new ort.Tensor('float32', q.input, [q.images, ...model.imageDims]);
  const run = await model.activations.run(tensor, { mode: q.mode, layers: q.layers });
  const maps = run.layers.flatMap((l) =>
    l.data ? [tensorOut(l.name, [q.images, ...l.shape.slice(1)], l.data, { layer: l.name, op: l.op })] : [],
  );
  return {
    ...base,
    parameters: { activations: q.mode },
    outputs: [tensorOut(model.outputName, outShape, run.output.data as Float32Array), ...maps],
    activations: run.layers.map(statsOnly),
  };
}
