// The statistics contract (probe/README.md "Statistics contract") over whole activation maps, in plain
// JavaScript so the browser page runs the very code the server runs (serve/models/channel-stats.ts re-exports
// it). Channel = NCHW axis 1; every statistic is over all the channel's values, batch included:
//   min, max;  mean = Σx / n;  std = sqrt(Σ(x − mean)² / n) (population);
//   zeroFraction = Σ max(0, 1 − |x|·ZERO_GAIN) / n: values with |x| < 1e-30 count as zero, the few in
//   (0, 1e-30) fractionally — the probe's in-graph indicator Clip(|x|·1e30, 0, 1) exactly.
// Sums are float64 and std takes a second pass about the mean, so large activations (hundreds, as in AlexNet)
// lose nothing to E[x²] − E[x]² cancellation. A NaN anywhere in a channel makes its min, max, mean and std NaN.

/** Gain of the zero indicator (probe/stats/types.ts ZERO_GAIN): |x| < 1/ZERO_GAIN counts as zero. */
export const ZERO_GAIN = 1e30;

/** Per-channel statistics of an NCHW (or [N, C]) float32 tensor. */
export function channelStats(data, shape) {
  const batch = shape[0] ?? 1;
  const channels = shape.length >= 2 ? shape[1] : 1;
  let inner = 1;
  for (let k = 2; k < shape.length; k++) inner *= shape[k];
  const count = batch * inner;
  const s = { min: [], max: [], mean: [], std: [], zeroFraction: [] };
  for (let c = 0; c < channels; c++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let zeros = 0;
    let nan = false;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) {
        const v = data[i];
        if (v !== v) nan = true;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        const a = Math.abs(v) * ZERO_GAIN;
        if (a < 1) zeros += 1 - a;
      }
    }
    const mean = sum / count;
    let sq = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) sq += (data[i] - mean) ** 2;
    }
    s.min.push(nan ? NaN : min);
    s.max.push(nan ? NaN : max);
    s.mean.push(mean);
    s.std.push(Math.sqrt(sq / count));
    s.zeroFraction.push(zeros / count);
  }
  return s;
}

/** The same statistics over a whole layer (every channel and position): what the page shows per layer. */
export function layerStats(data) {
  const s = channelStats(data, [1, 1, data.length]);
  return { min: s.min[0], max: s.max[0], mean: s.mean[0], std: s.std[0], zeroFraction: s.zeroFraction[0] };
}
