/** Shapes shared by the accumulator, the runner and the probe JSON. */

/** Gain of the zero indicator Clip(gain·|x|, 0, 1): |x| < 1/gain counts as zero. */
export const ZERO_GAIN = 1e30;

/**
 * The per-image, per-channel reductions a tap's graph output (or the input reduction) carries, in the order
 * they sit in each image's row. `negMin` is max(−x) (the graph's minimum, stored negated); `neg` absent means
 * the tap is known ≥ 0; `low`/`high` only for sigmoid taps.
 */
export type StatField = 'max' | 'mean' | 'min' | 'negMin' | 'meanSq' | 'pos' | 'neg' | 'low' | 'high';

/**
 * One batch of per-image reductions, read in place (no per-field copies): field `fields[f]` of image n,
 * channel k is `data[(n · fields.length + f) · channels + k]` — onnxruntime's [N, fields · C] Concat as it comes.
 */
export interface PackedStats {
  data: Float32Array;
  fields: readonly StatField[];
}

export interface ChannelStats {
  min: number[];
  max: number[];
  mean: number[];
  std: number[];
  zeroFraction: number[];
  lowFraction?: number[];
  highFraction?: number[];
}

export interface LayerSummary {
  min: number;
  max: number;
  mean: number;
  std: number;
  p1: number;
  p50: number;
  p99: number;
  zeroFraction: number;
  deadChannels: number;
  nonFiniteChannels: number;
  lowFraction?: number;
  highFraction?: number;
}
