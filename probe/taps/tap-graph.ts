/**
 * In-graph per-image, per-channel reductions, so only [N, C]-sized arrays leave onnxruntime.
 *
 * Measured on model M (docs/DESIGN.md, Measurements): ReduceMin/ReduceSumSquare/Sign over NCHW force onnxruntime to
 * reorder its blocked NCHWc conv layout back to NCHW at every tap and cost ~4× plain inference. Only ops the
 * NCHWc optimiser keeps blocked are used here: MaxPool over the whole map (MP; GlobalMaxPool is not kept blocked),
 * GlobalAveragePool, 1×1 depthwise Convs (DW), elementwise Mul and HardSigmoid (HS(X; a, b) = Clip01(a·X + b)).
 * Per 4-D tap X [N, C, H, W], outputs are [N, C, 1, 1]:
 *   light tier (every image)  max = MP(X), mean = GAP(X)
 *   full tier (adds)          negMin = MP(DW(X; −1)), meanSq = GAP(X·X),
 *                             pos = GAP(HS(X; +1e30, 0)) (fraction > 0; |x| < 1e-30 counts as zero),
 *                             neg = same with −1e30 (left out when X is provably ≥ 0),
 *                             sigmoid taps: low = GAP(HS(X; −1e6, +0.01e6)) (x < 0.01), high likewise (x > 0.99),
 *                             sample = Gather(Flatten(DW(X; 1, stride s)), fixed positions) for the percentile reservoir.
 * A tap's reductions leave as one Concat along channels ([N, k·C, 1, 1], `fields` gives the order): one layout
 * reorder and one output per tap instead of k. Its `totals` ([2, k·C, 1, 1]: ReduceMax and ReduceSum over the
 * images) let JavaScript fold a batch in from 2 rows instead of N (≈ 0.3 ms less per batch of 64 on model M).
 * 2-D taps and taps with H·W = 1 are small: the tensor itself is the output and JavaScript reduces it.
 */
import { DataType, type NewNode, type NewTensor } from '../../onnx/encode.js';
import type { GraphAdditions } from '../../onnx/patch.js';
import { ZERO_GAIN, type StatField } from '../stats/types.js';

export type Tier = 'light' | 'full';

export interface TapPlan {
  tensor: string;
  /** One image's shape with batch 1: [1, C] or [1, C, H, W]. */
  shape: number[];
  sigmoid: boolean;
  nonNegative: boolean;
  /** Positions in the (strided) per-image map fed to the reservoir. */
  samplePositions: number[];
  sampleStride: number;
}

export interface TapOutputs {
  raw?: string;
  /** [N, fields.length · C, 1, 1]: the reductions concatenated along channels (one output and one layout reorder per tap). */
  stats?: string;
  fields?: StatField[];
  /** [2, fields.length · C, 1, 1]: row 0 the max over the batch's images of each per-image reduction, row 1 their sum. */
  totals?: string;
  sample?: string;
}

const SATURATION_GAIN = 1e6;
export const SATURATION_LOW = 0.01;
export const SATURATION_HIGH = 0.99;

export function isRawTap(shape: number[]): boolean {
  return shape.length === 2 || (shape.length === 4 && shape[2] * shape[3] === 1);
}

/** Stride of the sampling conv: keep ≥ 2 rows/cols, at most every 4th. */
export function sampleStride(shape: number[]): number {
  return shape.length === 4 ? Math.max(1, Math.min(4, Math.floor(Math.min(shape[2], shape[3]) / 2))) : 1;
}

/** Reduce ops took `axes` as an attribute until these opsets, then as an input. */
const AXES_AS_INPUT_SINCE: Record<'ReduceSum' | 'ReduceMax', number> = { ReduceSum: 13, ReduceMax: 18 };

export function buildTapGraph(
  plans: TapPlan[],
  tier: Tier,
  opset: number,
): { additions: GraphAdditions; outputs: TapOutputs[] } {
  const inits: NewTensor[] = [];
  const nodesAfter = new Map<string, NewNode[]>();
  const outputNames: Array<{ name: string; shape: Array<number | string> }> = [];
  const outputs = plans.map((plan, i): TapOutputs => {
    const p = `actprobe/${tier}/${i}`;
    const x = plan.tensor;
    const nodes: NewNode[] = [];
    const c = plan.shape[1];
    const out = (name: string, shape: Array<number | string> = ['N', c, 1, 1]): string => (
      outputNames.push({ name: `${p}/${name}`, shape }), `${p}/${name}`
    );
    const node = (opType: string, inputs: string[], name: string, attributes?: NewNode['attributes']): string => {
      nodes.push({ name: `${p}/${name}`, opType, inputs, outputs: [`${p}/${name}`], attributes });
      return `${p}/${name}`;
    };
    const dw = (name: string, weight: number, stride = 1): string => {
      inits.push({
        name: `${p}/${name}_w`,
        dims: [c, 1, 1, 1],
        dataType: DataType.FLOAT,
        values: new Array<number>(c).fill(weight),
      });
      return node('Conv', [x, `${p}/${name}_w`], name, {
        group: { kind: 'int', value: c },
        kernel_shape: { kind: 'ints', value: [1, 1] },
        strides: { kind: 'ints', value: [stride, stride] },
      });
    };
    /** Reduction over the batch axis, keeping it: [N, …] → [1, …]. */
    const overImages = (op: 'ReduceSum' | 'ReduceMax', input: string, name: string): string => {
      if (opset < AXES_AS_INPUT_SINCE[op])
        return node(op, [input], name, { axes: { kind: 'ints', value: [0] }, keepdims: { kind: 'int', value: 1 } });
      inits.push({ name: `${p}/${name}_axes`, dims: [1], dataType: DataType.INT64, values: [0] });
      return node(op, [input, `${p}/${name}_axes`], name, { keepdims: { kind: 'int', value: 1 } });
    };
    // Indicator Clip(alpha·x + beta, 0, 1) in one elementwise op that onnxruntime keeps blocked. A 1×1 depthwise
    // Conv with a fused Clip computes the same values but cost ≈ 8× as much on model M (4 ms vs 0.5 ms per batch).
    const indicator = (name: string, alpha: number, beta: number): string =>
      node('HardSigmoid', [x], name, { alpha: { kind: 'float', value: alpha }, beta: { kind: 'float', value: beta } });
    let result: TapOutputs;
    if (isRawTap(plan.shape)) {
      result = { raw: out('raw', ['N', ...plan.shape.slice(1)]) };
      node('Identity', [x], 'raw');
    } else {
      // MaxPool over the whole map, not GlobalMaxPool: onnxruntime keeps MaxPool in the blocked layout.
      const whole = { kernel_shape: { kind: 'ints', value: plan.shape.slice(2) } } as const;
      const parts: Array<[StatField, string]> = [
        ['max', node('MaxPool', [x], 'max', whole)],
        ['mean', node('GlobalAveragePool', [x], 'mean')],
      ];
      if (tier === 'full') {
        parts.push(['negMin', node('MaxPool', [dw('negated', -1)], 'negMin', whole)]);
        parts.push(['meanSq', node('GlobalAveragePool', [node('Mul', [x, x], 'squared')], 'meanSq')]);
        parts.push(['pos', node('GlobalAveragePool', [indicator('positive', ZERO_GAIN, 0)], 'pos')]);
        if (!plan.nonNegative)
          parts.push(['neg', node('GlobalAveragePool', [indicator('negative', -ZERO_GAIN, 0)], 'neg')]);
        if (plan.sigmoid) {
          parts.push([
            'low',
            node('GlobalAveragePool', [indicator('below', -SATURATION_GAIN, SATURATION_LOW * SATURATION_GAIN)], 'low'),
          ]);
          parts.push([
            'high',
            node(
              'GlobalAveragePool',
              [indicator('above', SATURATION_GAIN, -SATURATION_HIGH * SATURATION_GAIN)],
              'high',
            ),
          ]);
        }
      }
      // One Concat of the [N, C, 1, 1] reductions stays in the blocked layout (when C is a multiple of the block).
      const k = parts.length * c;
      result = {
        stats: out('stats', ['N', k, 1, 1]),
        fields: parts.map(([f]) => f),
        totals: out('totals', [2, k, 1, 1]),
      };
      const stats = node(
        'Concat',
        parts.map(([, t]) => t),
        'stats',
        { axis: { kind: 'int', value: 1 } },
      );
      // The batch's max and sum of every per-image reduction, so JavaScript reads 2 rows instead of N (it still
      // reads the per-image rows of the watch images).
      node(
        'Concat',
        [overImages('ReduceMax', stats, 'batchMax'), overImages('ReduceSum', stats, 'batchSum')],
        'totals',
        { axis: { kind: 'int', value: 0 } },
      );
      if (tier === 'full') {
        const strided = plan.sampleStride > 1 ? dw('strided', 1, plan.sampleStride) : x;
        inits.push({
          name: `${p}/positions`,
          dims: [plan.samplePositions.length],
          dataType: DataType.INT64,
          values: plan.samplePositions,
        });
        result.sample = out('sample', ['N', plan.samplePositions.length]);
        node(
          'Gather',
          [node('Flatten', [strided], 'flat', { axis: { kind: 'int', value: 1 } }), `${p}/positions`],
          'sample',
          { axis: { kind: 'int', value: 1 } },
        );
      }
    }
    nodesAfter.set(x, [...(nodesAfter.get(x) ?? []), ...nodes]);
    return result;
  });
  return {
    additions: {
      nodesAfter,
      initializers: inits,
      outputs: outputNames.map((o) => ({ ...o, elemType: DataType.FLOAT })),
    },
    outputs,
  };
}
