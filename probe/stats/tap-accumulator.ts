/**
 * Streams one tap's per-image, per-channel reductions into per-channel statistics (float64; memory depends
 * on the channel count only).
 *
 * Two tiers (see taps/tap-graph.ts): max and mean are exact over every image; min, std, zero and saturation
 * fractions and percentiles are exact over the "full-stat" images (all of them unless the probe was told to
 * keep full statistics to a subset). std is the population std over all N·H·W values of a channel:
 * per-image moments are combined with the parallel-variance rule (Chan et al.), within-image variance being
 * E[x²] − E[x]² from onnxruntime's float32 means — accurate unless a channel's std is below ~1e-3 of |mean|.
 */
import { Reservoir } from './reservoir.js';
import type { ChannelStats, LayerSummary, PerImage } from './types.js';

export type { ChannelStats, LayerSummary, PerImage } from './types.js';
export { perImageFromRaw } from './types.js';

/** A channel that is zero for at least 99% of its values over the probe set counts as dead. */
export const DEAD_CHANNEL_ZERO_FRACTION = 0.99;

export class TapAccumulator {
  readonly max: Float64Array;
  /** Mean over every image. */
  readonly meanAll: Float64Array;
  countAll = 0;
  readonly min: Float64Array;
  /** Mean, M2 and counters over the full-stat images. */
  readonly meanFull: Float64Array;
  readonly m2: Float64Array;
  readonly nonzero: Float64Array;
  readonly low: Float64Array | null;
  readonly high: Float64Array | null;
  countFull = 0;
  imagesFull = 0;

  constructor(readonly channels: number, sigmoid: boolean, readonly reservoir = new Reservoir()) {
    const f = (v = 0): Float64Array => new Float64Array(channels).fill(v);
    this.max = f(-Infinity);
    this.meanAll = f();
    this.min = f(Infinity);
    this.meanFull = f();
    this.m2 = f();
    this.nonzero = f();
    this.low = sigmoid ? f() : null;
    this.high = sigmoid ? f() : null;
  }

  add(batch: number, spatial: number, p: PerImage, sample?: ArrayLike<number>): void {
    const c = this.channels;
    if (p.max.length !== batch * c || p.mean.length !== batch * c) {
      throw new Error(`Tap reductions hold ${p.max.length} values, expected ${batch} images × ${c} channels; the graph and the accumulator disagree.`);
    }
    const nb = batch * spatial;
    // Image-major loops: the arrays are [N, C], so the inner loop walks memory in order.
    const sums = new Float64Array(c);
    for (let n = 0; n < batch; n++) {
      const base = n * c;
      for (let k = 0; k < c; k++) {
        const hi = p.max[base + k];
        if (hi > this.max[k] || hi !== hi) this.max[k] = hi;
        sums[k] += p.mean[base + k];
      }
    }
    for (let k = 0; k < c; k++) this.meanAll[k] += ((sums[k] / batch - this.meanAll[k]) * nb) / (this.countAll + nb);
    this.countAll += nb;
    if (!p.min || !p.meanSq || !p.pos) return;
    const na = this.countFull;
    const n = na + nb;
    for (let k = 0; k < c; k++) {
      let sum = 0;
      let within = 0;
      for (let i = 0; i < batch; i++) {
        const j = i * c + k;
        const lo = p.min[j];
        if (lo < this.min[k] || Number.isNaN(lo)) this.min[k] = lo;
        sum += p.mean[j];
        within += Math.max(0, p.meanSq[j] - p.mean[j] * p.mean[j]);
        const nonzero = p.pos[j] + (p.neg ? p.neg[j] : 0);
        this.nonzero[k] += nonzero * spatial;
        if (this.low && p.low) this.low[k] += p.low[j] * spatial;
        if (this.high && p.high) this.high[k] += p.high[j] * spatial;
      }
      const meanB = sum / batch;
      let between = 0;
      for (let i = 0; i < batch; i++) between += (p.mean[i * c + k] - meanB) ** 2;
      const m2B = spatial * (within + between);
      const delta = meanB - this.meanFull[k];
      this.meanFull[k] += (delta * nb) / n;
      this.m2[k] += m2B + (delta * delta * na * nb) / n;
    }
    this.countFull = n;
    this.imagesFull += batch;
    if (sample) this.reservoir.addAll(sample);
  }

  channelStats(): ChannelStats {
    const n = this.countFull;
    const map = (a: Float64Array, f: (v: number) => number = (v) => v): number[] => Array.from(a, f);
    const out: ChannelStats = {
      min: map(this.min),
      max: map(this.max),
      mean: map(this.meanAll),
      std: map(this.m2, (v) => Math.sqrt(Math.max(0, v) / n)),
      zeroFraction: map(this.nonzero, (v) => Math.min(1, Math.max(0, 1 - v / n))),
    };
    if (this.low && this.high) {
      out.lowFraction = map(this.low, (v) => v / n);
      out.highFraction = map(this.high, (v) => v / n);
    }
    return out;
  }

  summary(): LayerSummary {
    const c = this.channels;
    const ch = this.channelStats();
    const avg = (a: ArrayLike<number>): number => {
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += a[i];
      return sum / c;
    };
    const meanFull = avg(this.meanFull);
    // Layer M2 = within-channel M2 + between-channel spread (equal counts per channel).
    let m2 = 0;
    for (let k = 0; k < c; k++) m2 += this.m2[k] + this.countFull * (this.meanFull[k] - meanFull) ** 2;
    const [p1, p50, p99] = this.reservoir.quantiles([0.01, 0.5, 0.99]);
    const s: LayerSummary = {
      min: ch.min.reduce((a, v) => (Number.isNaN(v) || v < a ? v : a), Infinity),
      max: ch.max.reduce((a, v) => (Number.isNaN(v) || v > a ? v : a), -Infinity),
      mean: avg(ch.mean),
      std: Math.sqrt(Math.max(0, m2) / (this.countFull * c)),
      p1, p50, p99,
      zeroFraction: avg(ch.zeroFraction),
      deadChannels: ch.zeroFraction.filter((z) => z >= DEAD_CHANNEL_ZERO_FRACTION).length,
      nonFiniteChannels: ch.mean.filter((v, k) => !Number.isFinite(v) || !Number.isFinite(ch.std[k]) || !Number.isFinite(ch.max[k])).length,
    };
    if (ch.lowFraction && ch.highFraction) {
      s.lowFraction = avg(ch.lowFraction);
      s.highFraction = avg(ch.highFraction);
    }
    return s;
  }
}
