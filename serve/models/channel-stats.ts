/**
 * Per-channel statistics of one layer output, in the probe JSON's shape (probe/stats/types.ts, DESIGN.md):
 * channel = NCHW axis 1, each statistic over every other axis (batch included). Computed from the whole
 * tensor in float64 in two passes, so std does not suffer the E[x²]−E[x]² cancellation that large
 * activations (hundreds, as in AlexNet) would cause; probe's TapAccumulator streams per-image reductions
 * instead, which is why serve keeps its own computation.
 */
import type { ChannelStats } from '../../probe/stats/types.js';

export function channelStats(data: Float32Array, shape: readonly number[]): ChannelStats {
  const batch = shape[0] ?? 1;
  const channels = shape.length >= 2 ? shape[1] : 1;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const count = batch * inner;
  const s: ChannelStats = { min: [], max: [], mean: [], std: [], zeroFraction: [] };
  for (let c = 0; c < channels; c++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let zeros = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) {
        const v = data[i];
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        if (v === 0) zeros++;
      }
    }
    const mean = sum / count;
    let sq = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = base; i < base + inner; i++) sq += (data[i] - mean) ** 2;
    }
    s.min.push(min);
    s.max.push(max);
    s.mean.push(mean);
    s.std.push(Math.sqrt(sq / count));
    s.zeroFraction.push(zeros / count);
  }
  return s;
}
