/** Shapes shared by the accumulator, the runner and the probe JSON. */

/** Gain of the zero indicator Clip(gain·|x|, 0, 1): |x| < 1/gain counts as zero. */
export const ZERO_GAIN = 1e30;

/** Per image per channel, each `batch × channels` long, image-major (onnxruntime's outputs as they come). */
export interface PerImage {
  max: Float32Array;
  mean: Float32Array;
  /** Full tier only. `neg` absent means the tap is known ≥ 0; `low`/`high` only for sigmoid taps. */
  min?: Float32Array;
  meanSq?: Float32Array;
  pos?: Float32Array;
  neg?: Float32Array;
  low?: Float32Array;
  high?: Float32Array;
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
