/** Shapes shared by the accumulator, the runner and the probe JSON. */

/** Per image per channel, each `batch × channels` long, image-major. */
export interface PerImage {
  max: ArrayLike<number>;
  mean: ArrayLike<number>;
  /** Full tier only. `neg` absent means the tap is known ≥ 0; `low`/`high` only for sigmoid taps. */
  min?: ArrayLike<number>;
  meanSq?: ArrayLike<number>;
  pos?: ArrayLike<number>;
  neg?: ArrayLike<number>;
  low?: ArrayLike<number>;
  high?: ArrayLike<number>;
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

/** Per-image reductions of a small tap delivered whole ([N, C] values; spatial size 1). */
export function perImageFromRaw(raw: Float32Array, sigmoid: boolean, full = true): PerImage {
  // Light batches need only max and mean, which for a whole [N, C] tensor are the values themselves.
  if (!full) return { max: raw, mean: raw };
  const f = (g: (v: number) => number): Float32Array => raw.map(g);
  return {
    max: raw, mean: raw, min: raw,
    meanSq: f((v) => v * v), pos: f((v) => (v > 0 ? 1 : 0)), neg: f((v) => (v < 0 ? 1 : 0)),
    ...(sigmoid ? { low: f((v) => (v < 0.01 ? 1 : 0)), high: f((v) => (v > 0.99 ? 1 : 0)) } : {}),
  };
}
