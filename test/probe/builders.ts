/** Small hand-made probe results and training histories for the compare and diagnosis tests. */
import type { ProbeLayer, ProbeResult } from '../../probe/schema.js';
import type { MiniEpochLine, TrainingHistory } from '../../probe/diagnosis/metrics.js';

export interface LayerSpec {
  role?: ProbeLayer['role'];
  channels?: number;
  std?: number;
  p99?: number;
  max?: number;
  dead?: number;
  min?: number[];
  maxes?: number[];
  low?: number;
  high?: number;
  nonFinite?: number;
}

export function layer(name: string, s: LayerSpec = {}): ProbeLayer {
  const c = s.channels ?? 4;
  const std = s.std ?? 1;
  const fill = (v: number): number[] => new Array<number>(c).fill(v);
  return {
    name,
    op: 'Relu',
    shape: [1, c, 4, 4],
    node: name,
    head: name,
    headOp: 'Conv',
    role: s.role ?? 'conv',
    depth: 0.5,
    channels: {
      min: s.min ?? fill(0),
      max: s.maxes ?? fill(s.max ?? 3 * std),
      mean: fill(std),
      std: fill(std),
      zeroFraction: fill(0.3),
    },
    summary: {
      min: 0,
      max: s.max ?? 3 * std,
      mean: std,
      std,
      p1: 0,
      p50: std,
      p99: s.p99 ?? 2.5 * std,
      zeroFraction: 0.3,
      deadChannels: s.dead ?? 0,
      nonFiniteChannels: s.nonFinite ?? 0,
      ...(s.low !== undefined ? { lowFraction: s.low, highFraction: s.high ?? 0 } : {}),
    },
    watch: { min: [], max: [] },
  };
}

export function probe(
  layers: ProbeLayer[],
  opts: { inputStd?: number; miniEpoch?: number; model?: string } = {},
): ProbeResult {
  return {
    schemaVersion: 1,
    model: opts.model ?? 'model.onnx',
    executionProvider: 'cpu',
    images: 16,
    layers,
    providerReport: { requested: 'cpu', configured: ['cpu'], used: 'cpu', nodesByProvider: {}, notes: [] },
    batchSize: 16,
    card: 'test',
    source: 'arrays',
    input: layer('input', { role: 'input', std: opts.inputStd ?? 1 }),
    watchImages: [],
    coverage: { fullStatImages: 16, note: '' },
    percentiles: { method: 'reservoir', capacity: 4096, positionsPerImage: 64, note: '' },
    seconds: 0,
    ...(opts.miniEpoch !== undefined ? { miniEpoch: opts.miniEpoch } : {}),
  };
}

export function epoch(
  miniEpoch: number,
  trainLoss: number,
  testAccuracy: number,
  grads: number[] = [1, 1, 1],
  lr = 1e-3,
): MiniEpochLine {
  return {
    miniEpoch,
    trainLoss,
    testAccuracy,
    lr,
    batchSize: 64,
    layers: grads.map((g, i) => ({ layer: `layer${i + 1}`, gradNorm: g, weightNorm: 1, updateRatio: 1e-3 })),
  };
}

export const history = (epochs: MiniEpochLine[], nonFinite: TrainingHistory['nonFinite'] = []): TrainingHistory => ({
  epochs,
  nonFinite,
});
