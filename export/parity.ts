import { writeFileAtomic } from '../run-folder/fs-atomic.js';
import * as ort from 'onnxruntime-node';
import type { ExportResult } from './convert.js';
import { INPUT_NAME, layerKey, valueInfo } from './layers/convert-layers.js';
import { toOnnxLayout } from './layout.js';
import { encodeModel } from '../onnx/encode.js';
import type { ModelSpec } from '../onnx/spec.js';
import { compareArrays } from './parity/compare.js';
import type { ParityInput } from './parity/inputs.js';
import type { ReferenceRunner } from './parity/reference.js';

/** Default gate: max |Δ| ≤ 1e-4 × the layer's max |activation|. */
export const DEFAULT_TOLERANCE = 1e-4;

export interface ParityLayer {
  layer: string;
  className: string;
  onnxValue: string;
  /** ONNX (NCHW) shape of the output for the first input batch. */
  shape: number[];
  maxAbsDiff: number;
  maxRelDiff: number;
  scale: number;
  relToScale: number;
  passed: boolean;
  /** The input batch where relToScale was largest. */
  worstInput: string;
}

export interface ParityReport {
  passed: boolean;
  tolerance: number;
  tfjsBackend: string;
  executionProvider: string;
  onnxruntime: string;
  inputs: Array<{ name: string; images: number }>;
  worst: { layer: string; relToScale: number } | null;
  layers: ParityLayer[];
}

/** A copy of the exported model that also outputs every layer's value (the shipped model stays untouched). */
export function verificationModel(result: ExportResult): ModelSpec {
  const { graph } = result.model;
  const seen = new Set([INPUT_NAME, ...graph.outputs.map((o) => o.name)]);
  const extra = result.layers
    .filter((l) => !seen.has(l.value) && seen.add(l.value))
    .map((l) => valueInfo(l.value, l.shape));
  return { ...result.model, graph: { ...graph, outputs: [...graph.outputs, ...extra] } };
}

/**
 * Runs tfjs and onnxruntime (CPU EP) on each input batch and compares every layer's output after putting
 * tfjs' NHWC tensors through the same layout function the exporter uses.
 */
export async function checkParity(
  result: ExportResult,
  reference: ReferenceRunner,
  inputs: ParityInput[],
  opts: { tolerance?: number; threads?: number } = {},
): Promise<ParityReport> {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  const session = await ort.InferenceSession.create(encodeModel(verificationModel(result)), {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads ?? 0,
  });
  const compared = result.layers.filter((l) => l.value !== INPUT_NAME);
  const rows = new Map<string, ParityLayer>();
  try {
    for (const input of inputs) {
      const nchw = toOnnxLayout('activation', input.nhwc, input.shape);
      const got = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', nchw.values, nchw.shape) });
      const want = reference.run(input);
      for (const l of compared) {
        const k = layerKey(l);
        const ref = want.get(k);
        const onnx = got[l.value];
        if (!ref || !onnx)
          throw new Error(`parity: layer ${k} has no ${ref ? 'onnxruntime' : 'tfjs'} output (ONNX value ${l.value})`);
        const expected = toOnnxLayout('activation', ref.values, ref.shape);
        const shapeOk = expected.shape.join() === onnx.dims.join();
        const d = shapeOk ? compareArrays(expected.values, onnx.data as Float32Array) : null;
        const relToScale = d?.finite ? d.relToScale : Number.POSITIVE_INFINITY;
        const prev = rows.get(k);
        if (prev && prev.relToScale >= relToScale) continue;
        rows.set(k, {
          layer: k,
          className: l.className,
          onnxValue: l.value,
          shape: prev?.shape ?? [...onnx.dims],
          maxAbsDiff: d?.maxAbsDiff ?? Number.POSITIVE_INFINITY,
          maxRelDiff: d?.maxRelDiff ?? Number.POSITIVE_INFINITY,
          scale: d?.scale ?? 0,
          relToScale,
          passed: relToScale <= tolerance,
          worstInput: shapeOk ? input.name : `${input.name} (shape tfjs [${expected.shape}] vs onnx [${onnx.dims}])`,
        });
      }
    }
  } finally {
    await session.release();
  }
  const layers = compared.map((l) => rows.get(layerKey(l)) as ParityLayer);
  const worst = layers.reduce<ParityLayer | null>((w, l) => (w === null || l.relToScale > w.relToScale ? l : w), null);
  return {
    passed: layers.every((l) => l.passed),
    tolerance,
    tfjsBackend: reference.backend,
    executionProvider: 'cpu',
    onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
    inputs: inputs.map((i) => ({ name: i.name, images: i.shape[0] })),
    worst: worst && { layer: worst.layer, relToScale: worst.relToScale },
    layers,
  };
}

/** parity.json; infinities (a shape mismatch, NaN) are written as strings so the file stays valid JSON. */
export async function writeParityReport(path: string, report: ParityReport): Promise<void> {
  const json = JSON.stringify(
    report,
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    2,
  );
  await writeFileAtomic(path, `${json}\n`);
}
