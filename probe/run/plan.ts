/**
 * Turns tap points into graph plans: one discovery run (batch 1, zero input, taps exposed with their type
 * left for onnxruntime to infer) gives each tapped tensor's type and shape; non-float tensors and ranks other
 * than 2 and 4 are dropped with a note. Then the light and full reduction graphs are appended to the model; the input
 * tap gets no graph nodes (the runner reduces the input batch it already holds).
 */
import * as ort from 'onnxruntime-node';
import type { ModelCard } from '../cards/card.js';
import type { OnnxModel } from '../../onnx/model.js';
import { appendToGraph } from '../../onnx/patch.js';
import { createSession, type SessionConfig } from '../session/create.js';
import { samplePositions } from '../stats/reservoir.js';
import { indexGraph } from '../taps/graph-index.js';
import type { TapPoint } from '../taps/select.js';
import { isNonNegative } from '../taps/sign.js';
import { concatParts } from '../taps/concat-taps.js';
import { buildTapGraph, isRawTap, sampleStride, type TapOutputs, type TapPlan } from '../taps/tap-graph.js';

export interface PlannedTap extends TapPoint {
  /** One image's shape, batch dim 1. */
  shape: number[];
  channels: number;
  /** Values per channel per image. */
  spatial: number;
  raw: boolean;
  positions: number[];
  light: TapOutputs;
  full: TapOutputs;
  /**
   * A channel Concat whose inputs are all tapped: its reductions are assembled from theirs (indices into the
   * input-first tap list) and the graph gets no nodes for it (concat-taps.ts).
   */
  parts?: number[];
}

export interface GraphPlan {
  input: PlannedTap;
  taps: PlannedTap[];
  fullBytes: Uint8Array;
  lightBytes: Uint8Array;
  notes: string[];
}

export async function discoverShapes(
  bytes: Uint8Array,
  card: ModelCard,
  tensors: string[],
  cfg: SessionConfig,
): Promise<Map<string, { type: string; dims: number[] }>> {
  const patched = appendToGraph(bytes, { outputs: tensors.map((name) => ({ name })) });
  const s = await createSession(patched, cfg);
  try {
    const { channels: c, height: h, width: w } = card.input;
    const out = await s.run({
      [card.input.name]: new ort.Tensor('float32', new Float32Array(c * h * w), [1, c, h, w]),
    });
    return new Map(tensors.filter((t) => out[t]).map((t) => [t, { type: out[t].type, dims: [...out[t].dims] }]));
  } finally {
    await s.release();
  }
}

export async function planGraph(
  bytes: Uint8Array,
  model: OnnxModel,
  card: ModelCard,
  taps: TapPoint[],
  cfg: SessionConfig,
  samplesPerImage: number,
): Promise<GraphPlan> {
  const notes: string[] = [];
  if (model.opset < 7)
    throw new Error(
      `The model's opset ${model.opset} is older than 7; convert it first (onnx.version_converter.convert_version(model, 13)).`,
    );
  const found = await discoverShapes(
    bytes,
    card,
    taps.map((t) => t.tensor),
    cfg,
  );
  const { channels: c, height: h, width: w } = card.input;
  const inputTap: TapPoint = {
    name: 'input',
    node: card.input.name,
    head: card.input.name,
    op: 'Input',
    headOp: 'Input',
    role: 'input',
    tensor: card.input.name,
    sigmoid: false,
    index: 0,
  };
  const kept: Array<{ tap: TapPoint; dims: number[] }> = [{ tap: inputTap, dims: [1, c, h, w] }];
  for (const t of taps) {
    const f = found.get(t.tensor);
    if (!f) notes.push(`${t.name} (${t.node}): output "${t.tensor}" was not produced; skipped.`);
    else if (f.type !== 'float32') notes.push(`${t.name} (${t.node}): ${f.type} tensor, not an activation; skipped.`);
    else if ((f.dims.length !== 2 && f.dims.length !== 4) || f.dims[0] !== 1)
      notes.push(`${t.name} (${t.node}): shape [${f.dims.join(', ')}] is neither [N, C] nor [N, C, H, W]; skipped.`);
    else kept.push({ tap: t, dims: f.dims });
  }
  const g = indexGraph(model);
  const plans: TapPlan[] = kept.map(({ tap, dims }, i) => {
    // The input is reduced in JavaScript (stats/nchw-reduce.ts), sampled over its whole map.
    const stride = i === 0 ? 1 : sampleStride(dims);
    const mapSize = dims.length === 4 ? dims[1] * Math.ceil(dims[2] / stride) * Math.ceil(dims[3] / stride) : dims[1];
    return {
      tensor: tap.tensor,
      shape: dims,
      sigmoid: tap.sigmoid,
      nonNegative: i > 0 && isNonNegative(g, tap.tensor),
      sampleStride: stride,
      samplePositions: samplePositions(isRawTap(dims) ? dims[1] : mapSize, samplesPerImage, 0x5eed + i),
    };
  });
  const parts = concatParts(
    g,
    kept.map((k) => k.tap),
    plans,
  );
  // Graph nodes for every layer tap but the assembled Concats; `slot` maps a kept tap to its graph outputs.
  const inGraph = plans.map((_, i) => i).filter((i) => i > 0 && !parts.has(i));
  const slot = new Map(inGraph.map((i, k) => [i, k]));
  const full = buildTapGraph(
    inGraph.map((i) => plans[i]),
    'full',
    model.opset,
  );
  const light = buildTapGraph(
    inGraph.map((i) => plans[i]),
    'light',
    model.opset,
  );
  const none: TapOutputs = {};
  const outputsOf = (i: number, tier: typeof full): TapOutputs => {
    const from = parts.get(i);
    if (from) return { fields: tier.outputs[slot.get(from[0])!].fields };
    return i === 0 ? none : tier.outputs[slot.get(i)!];
  };
  const planned = kept.map(
    ({ tap, dims }, i): PlannedTap => ({
      ...tap,
      shape: dims,
      channels: dims[1],
      spatial: dims.slice(2).reduce((a, d) => a * d, 1),
      raw: isRawTap(dims),
      positions: plans[i].samplePositions,
      light: outputsOf(i, light),
      full: outputsOf(i, full),
      ...(parts.has(i) ? { parts: parts.get(i) } : {}),
    }),
  );
  return {
    input: planned[0],
    taps: planned.slice(1),
    fullBytes: appendToGraph(bytes, full.additions),
    lightBytes: appendToGraph(bytes, light.additions),
    notes,
  };
}
