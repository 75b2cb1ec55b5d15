/**
 * Streams one tap's per-image, per-channel reductions into per-channel statistics (float64; memory depends
 * on the channel count only).
 *
 * Two tiers (see taps/tap-graph.ts): max and mean are exact over every image; min, std, zero and saturation
 * fractions and percentiles are exact over the "full-stat" images (all of them unless the probe was told to
 * keep full statistics to a subset). std is the population std over all N·H·W values of a channel:
 * batches are combined with the parallel-variance rule (Chan et al.); a batch's own M2 comes from its per-image
 * rows (`add`: E[x²] − E[x]² within each image plus the spread of image means) or from its totals over images
 * (`addTotals`: Σ meanSq − (Σ mean)² / N), both from onnxruntime's float32 means — accurate unless a channel's
 * std is below ~1e-3 of |mean|.
 */
import { Reservoir } from './reservoir.js';
import type { ChannelStats, LayerSummary, PackedStats, StatField } from './types.js';

export type { ChannelStats, LayerSummary, PackedStats, StatField } from './types.js';

/** A channel that is zero for at least 99% of its values over the probe set counts as dead. */
export const DEAD_CHANNEL_ZERO_FRACTION = 0.99;

/** Where each field's C values start within one packed row (`fields` order × channels); −1 when absent. */
function fieldOffsets(fields: readonly StatField[], channels: number): Record<StatField, number> {
  const at = (f: StatField): number => (fields.includes(f) ? fields.indexOf(f) * channels : -1);
  return {
    max: at('max'),
    mean: at('mean'),
    min: at('min'),
    negMin: at('negMin'),
    meanSq: at('meanSq'),
    pos: at('pos'),
    neg: at('neg'),
    low: at('low'),
    high: at('high'),
  };
}

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
  /** Per-batch scratch: sum of image means, the batch's M2 / spatial. */
  private readonly sums: Float64Array;
  private readonly within: Float64Array;

  constructor(
    readonly channels: number,
    sigmoid: boolean,
    readonly reservoir = new Reservoir(),
  ) {
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
  }

  /**
   * One batch of per-image reductions of a tap with `spatial` values per channel per image (the input
   * reduction, stats/nchw-reduce.ts; graph taps come as totals, `addTotals`). With max and mean only it is a
   * light batch; with min, meanSq and pos too it also counts towards the full statistics.
   * One fused pass over the packed rows, then one over the image means (Chan's merge). In the running max
   * and min a NaN, once in, sticks: nothing compares above or below it.
   */
  add(batch: number, spatial: number, p: PackedStats, sample?: ArrayLike<number>): void {
    const c = this.channels;
    const fields = p.fields;
    const stride = fields.length * c;
    const o = fieldOffsets(fields, c);
    const { max: oMax, mean: oMean } = o;
    if (oMax < 0 || oMean < 0 || p.data.length !== batch * stride || o.negMin >= 0) {
      throw new Error(
        `Tap reductions hold ${p.data.length} values for fields [${fields.join(', ')}], expected ${batch} images × ${fields.length} × ${c} channels including max and mean (and min, not negMin); the graph and the accumulator disagree.`,
      );
    }
    const { min: oMin, meanSq: oSq, pos: oPos, neg: oNeg } = o;
    const d = p.data;
    const { max, sums } = this;
    sums.fill(0);
    const full = oMin >= 0 && oSq >= 0 && oPos >= 0;
    const end = d.length;
    // Channel-outer loops keep each channel's running values in registers; the batch (≤ a few hundred kB) stays in cache.
    if (!full) {
      for (let k = 0; k < c; k++) {
        let hi = max[k];
        let sum = 0;
        for (let base = 0; base < end; base += stride) {
          const v = d[base + oMax + k];
          if (v > hi || v !== v) hi = v;
          sum += d[base + oMean + k];
        }
        max[k] = hi;
        sums[k] = sum;
      }
      this.addMean(batch, spatial);
      return;
    }
    const { min, within, nonzero } = this;
    const { low: oLow, high: oHigh } = o;
    const saturation = this.low !== null && this.high !== null && oLow >= 0 && oHigh >= 0;
    for (let k = 0; k < c; k++) {
      let hi = max[k];
      let lo = min[k];
      let sum = 0;
      let spread = 0;
      let nz = 0;
      let below = 0;
      let above = 0;
      for (let base = k; base < end; base += stride) {
        const vHi = d[base + oMax];
        if (vHi > hi || vHi !== vHi) hi = vHi;
        const vLo = d[base + oMin];
        if (vLo < lo || vLo !== vLo) lo = vLo;
        const m = d[base + oMean];
        sum += m;
        spread += Math.max(0, d[base + oSq] - m * m); // NaN stays NaN
        nz += oNeg >= 0 ? d[base + oPos] + d[base + oNeg] : d[base + oPos];
        if (saturation) {
          below += d[base + oLow];
          above += d[base + oHigh];
        }
      }
      max[k] = hi;
      min[k] = lo;
      sums[k] = sum;
      within[k] = spread;
      nonzero[k] += nz * spatial;
      if (saturation) {
        this.low![k] += below * spatial;
        this.high![k] += above * spatial;
      }
    }
    this.addMean(batch, spatial);
    this.mergeFull(batch, spatial, d, oMean, stride);
    if (sample) this.reservoir.addAll(sample);
  }

  /**
   * One batch given by its totals over images (the graph's `totals` output, taps/tap-graph.ts): row 0 holds
   * the max over the batch's images of every per-image reduction, row 1 their sum. Same statistics as `add`
   * with the per-image rows, except that the batch's M2 comes as spatial · (Σ meanSq − (Σ mean)² / N) in float64
   * from onnxruntime's float32 sums: the within-image variance already has that precision limit.
   */
  addTotals(batch: number, spatial: number, t: PackedStats, sample?: ArrayLike<number>): void {
    const c = this.channels;
    const fields = t.fields;
    const stride = fields.length * c;
    const o = fieldOffsets(fields, c);
    const { max: oMax, mean: oMean } = o;
    if (oMax < 0 || oMean < 0 || t.data.length !== 2 * stride || o.min >= 0) {
      throw new Error(
        `Tap totals hold ${t.data.length} values for fields [${fields.join(', ')}], expected 2 rows × ${fields.length} × ${c} channels including max and mean (and negMin, not min); the graph and the accumulator disagree.`,
      );
    }
    const d = t.data;
    const { max, min, sums, within, nonzero } = this;
    for (let k = 0; k < c; k++) {
      const hi = d[oMax + k];
      if (hi > max[k] || hi !== hi) max[k] = hi;
      sums[k] = d[stride + oMean + k];
    }
    this.addMean(batch, spatial);
    const { negMin: oNegMin, meanSq: oSq, pos: oPos, neg: oNeg, low: oLow, high: oHigh } = o;
    if (oNegMin < 0 || oSq < 0 || oPos < 0) return;
    const saturation = this.low !== null && this.high !== null && oLow >= 0 && oHigh >= 0;
    for (let k = 0; k < c; k++) {
      const lo = -d[oNegMin + k];
      if (lo < min[k] || lo !== lo) min[k] = lo;
      const sum = sums[k];
      within[k] = Math.max(0, d[stride + oSq + k] - (sum * sum) / batch); // NaN stays NaN
      nonzero[k] += (oNeg >= 0 ? d[stride + oPos + k] + d[stride + oNeg + k] : d[stride + oPos + k]) * spatial;
      if (saturation) {
        this.low![k] += d[stride + oLow + k] * spatial;
        this.high![k] += d[stride + oHigh + k] * spatial;
      }
    }
    this.mergeMoments(batch, spatial);
    if (sample) this.reservoir.addAll(sample);
  }

  /**
   * One batch of a small tap delivered whole ([N, C]: one value per channel per image). Light batches count
   * max and mean only; zero means exactly 0 here (NaN counts as zero, as in the graph's indicator).
   */
  addRaw(batch: number, raw: Float32Array, full: boolean, sample?: ArrayLike<number>): void {
    const c = this.channels;
    if (raw.length !== batch * c) {
      throw new Error(
        `Tap output holds ${raw.length} values, expected ${batch} images × ${c} channels; the graph and the accumulator disagree.`,
      );
    }
    const { max, min, sums, nonzero, low, high } = this;
    const end = raw.length;
    for (let k = 0; k < c; k++) {
      let hi = max[k];
      let sum = 0;
      for (let i = k; i < end; i += c) {
        const v = raw[i];
        if (v > hi || v !== v) hi = v;
        sum += v;
      }
      max[k] = hi;
      sums[k] = sum;
      if (!full) continue;
      let lo = min[k];
      let nz = 0;
      let below = 0;
      let above = 0;
      for (let i = k; i < end; i += c) {
        const v = raw[i];
        if (v < lo || v !== v) lo = v;
        if (v > 0 || v < 0) nz++;
        if (v < 0.01) below++;
        if (v > 0.99) above++;
      }
      min[k] = lo;
      nonzero[k] += nz;
      if (low && high) {
        low[k] += below;
        high[k] += above;
      }
    }
    this.addMean(batch, 1);
    if (!full) return;
    this.within.fill(0);
    this.mergeFull(batch, 1, raw, 0, c);
    if (sample) this.reservoir.addAll(sample);
  }

  /** Folds the batch's summed image means (in `sums`) into the every-image mean. */
  private addMean(batch: number, spatial: number): void {
    const c = this.channels;
    const nb = batch * spatial;
    const w = nb / (this.countAll + nb);
    for (let k = 0; k < c; k++) this.meanAll[k] += (this.sums[k] / batch - this.meanAll[k]) * w;
    this.countAll += nb;
  }

  /**
   * Chan's parallel merge of this batch into the full-stat moments, from the per-image rows: image n's mean of
   * channel k is `d[n · stride + offset + k]`, their sums are in `sums` and the within-image M2 / spatial in `within`.
   */
  private mergeFull(batch: number, spatial: number, d: Float32Array, offset: number, stride: number): void {
    const c = this.channels;
    const { sums, within } = this;
    const end = batch * stride;
    for (let k = 0; k < c; k++) {
      const mean = sums[k] / batch;
      let spread = 0;
      for (let base = offset + k; base < end; base += stride) {
        const dm = d[base] - mean;
        spread += dm * dm;
      }
      within[k] += spread; // now the batch's M2 / spatial
    }
    this.mergeMoments(batch, spatial);
  }

  /** Merges a batch whose summed image means are in `sums` and whose M2 / spatial is in `within`. */
  private mergeMoments(batch: number, spatial: number): void {
    const c = this.channels;
    const { sums, within } = this;
    const na = this.countFull;
    const nb = batch * spatial;
    const n = na + nb;
    for (let k = 0; k < c; k++) {
      const meanB = sums[k] / batch;
      const delta = meanB - this.meanFull[k];
      this.meanFull[k] += (delta * nb) / n;
      this.m2[k] += spatial * within[k] + (delta * delta * na * nb) / n;
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
      p1,
      p50,
      p99,
      zeroFraction: avg(ch.zeroFraction),
      deadChannels: ch.zeroFraction.filter((z) => z >= DEAD_CHANNEL_ZERO_FRACTION).length,
      nonFiniteChannels: ch.mean.filter(
        (v, k) => !Number.isFinite(v) || !Number.isFinite(ch.std[k]) || !Number.isFinite(ch.max[k]),
      ).length,
    };
    if (ch.lowFraction && ch.highFraction) {
      s.lowFraction = avg(ch.lowFraction);
      s.highFraction = avg(ch.highFraction);
    }
    return s;
  }
}
