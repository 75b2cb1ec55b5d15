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

/** A channel that is zero for at least 99% of its values over the probe set counts as dead. */
export const DEAD_CHANNEL_ZERO_FRACTION = 0.99;

const PER_IMAGE_FIELDS = ['max', 'mean', 'min', 'meanSq', 'pos', 'neg', 'low', 'high'] as const satisfies ReadonlyArray<keyof PerImage>;

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
  /** Per-batch scratch: sum of image means, within-image M2 / spatial, between-image spread. */
  private readonly sums: Float64Array;
  private readonly within: Float64Array;
  private readonly between: Float64Array;

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
    this.sums = f();
    this.within = f();
    this.between = f();
  }

  /** One batch of per-image reductions of a tap with `spatial` values per channel per image. */
  add(batch: number, spatial: number, p: PerImage, sample?: ArrayLike<number>): void {
    const c = this.channels;
    const size = batch * c;
    for (const name of PER_IMAGE_FIELDS) {
      const a = p[name];
      if (a && a.length !== size) {
        throw new Error(`Tap reduction "${name}" holds ${a.length} values, expected ${batch} images × ${c} channels; the graph and the accumulator disagree.`);
      }
    }
    // Loops walk the [N, C] arrays image-major (memory order) into per-channel scratch sums.
    this.addMaxMean(batch, spatial, p.max, p.mean);
    if (!p.min || !p.meanSq || !p.pos) return;
    extremes(this.min, p.min, size, c, true);
    const { within, nonzero } = this;
    within.fill(0);
    const mean = p.mean;
    const meanSq = p.meanSq;
    for (let j = 0; j < size; j += c) {
      for (let k = 0; k < c; k++) {
        const m = mean[j + k];
        within[k] += Math.max(0, meanSq[j + k] - m * m); // NaN stays NaN
      }
    }
    addScaled(nonzero, p.pos, size, c, spatial);
    if (p.neg) addScaled(nonzero, p.neg, size, c, spatial);
    if (this.low && p.low) addScaled(this.low, p.low, size, c, spatial);
    if (this.high && p.high) addScaled(this.high, p.high, size, c, spatial);
    this.mergeFull(batch, spatial, mean);
    if (sample) this.reservoir.addAll(sample);
  }

  /**
   * One batch of a small tap delivered whole ([N, C]: one value per channel per image). Light batches count
   * max and mean only; zero means exactly 0 here (NaN counts as zero, as in the graph's indicator).
   */
  addRaw(batch: number, raw: Float32Array, full: boolean, sample?: ArrayLike<number>): void {
    const c = this.channels;
    const size = batch * c;
    if (raw.length !== size) {
      throw new Error(`Tap output holds ${raw.length} values, expected ${batch} images × ${c} channels; the graph and the accumulator disagree.`);
    }
    this.addMaxMean(batch, 1, raw, raw);
    if (!full) return;
    extremes(this.min, raw, size, c, true);
    this.within.fill(0);
    const { nonzero, low, high } = this;
    for (let j = 0; j < size; j += c) {
      for (let k = 0; k < c; k++) {
        const v = raw[j + k];
        if (v > 0 || v < 0) nonzero[k] += 1;
        if (low && high) {
          if (v < 0.01) low[k] += 1;
          if (v > 0.99) high[k] += 1;
        }
      }
    }
    this.mergeFull(batch, 1, raw);
    if (sample) this.reservoir.addAll(sample);
  }

  private addMaxMean(batch: number, spatial: number, max: Float32Array, mean: Float32Array): void {
    const c = this.channels;
    const size = batch * c;
    extremes(this.max, max, size, c, false);
    const sums = this.sums;
    sums.fill(0);
    for (let j = 0; j < size; j += c) for (let k = 0; k < c; k++) sums[k] += mean[j + k];
    const nb = batch * spatial;
    const w = nb / (this.countAll + nb);
    for (let k = 0; k < c; k++) this.meanAll[k] += (sums[k] / batch - this.meanAll[k]) * w;
    this.countAll += nb;
  }

  /** Chan's parallel merge of this batch (image means in `mean`, sums and within-image M2 in scratch) into the full-stat moments. */
  private mergeFull(batch: number, spatial: number, mean: Float32Array): void {
    const c = this.channels;
    const size = batch * c;
    const { sums, within, between } = this;
    between.fill(0);
    for (let k = 0; k < c; k++) sums[k] /= batch; // now the batch mean per channel
    for (let j = 0; j < size; j += c) {
      for (let k = 0; k < c; k++) {
        const d = mean[j + k] - sums[k];
        between[k] += d * d;
      }
    }
    const na = this.countFull;
    const nb = batch * spatial;
    const n = na + nb;
    for (let k = 0; k < c; k++) {
      const meanB = sums[k];
      const delta = meanB - this.meanFull[k];
      this.meanFull[k] += (delta * nb) / n;
      this.m2[k] += spatial * (within[k] + between[k]) + (delta * delta * na * nb) / n;
    }
    this.countFull = n;
    this.imagesFull += batch;
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

/** Running per-channel min (or max) over an image-major [N, C] array; NaN sticks. */
function extremes(into: Float64Array, a: Float32Array, size: number, c: number, isMin: boolean): void {
  for (let j = 0; j < size; j += c) {
    for (let k = 0; k < c; k++) {
      const v = a[j + k];
      if (isMin ? v < into[k] : v > into[k]) into[k] = v;
      else if (v !== v) into[k] = v;
    }
  }
}

/** into[k] += scale · Σ_n a[n, k]. */
function addScaled(into: Float64Array, a: Float32Array, size: number, c: number, scale: number): void {
  for (let j = 0; j < size; j += c) for (let k = 0; k < c; k++) into[k] += a[j + k] * scale;
}
