/**
 * Layer percentiles (p1/p50/p99) from a uniform reservoir sample (Li's algorithm L, seeded: random numbers only
 * for the values that enter, so a full reservoir costs almost nothing per value), fed by
 * the S fixed per-image positions the graph gathers. Memory is `capacity` floats whatever the image count.
 *
 * Error: with K values in the reservoir, the rank of an estimated p-quantile has a standard error of
 * sqrt(p(1-p)/K) — for K = 4096: ±0.16 percentile points at p1/p99 and ±0.78 at p50 (one sigma) — and by the
 * DKW inequality all quantiles are within ±2.1 percentile points of their true rank with 95% probability.
 * Positions are fixed per image (drawn once per tap), so with few images the estimate also carries the
 * spread between positions; with the default 64 positions × 256 images the reservoir is a mix of 16k values.
 */
export class Reservoir {
  private readonly values: Float64Array;
  private seen = 0;
  private readonly random: () => number;
  private w = 1;
  /** Index (in finite values seen) of the next value that enters a full reservoir. */
  private next = 0;

  constructor(readonly capacity = 4096, seed = 0x9e3779b9) {
    this.values = new Float64Array(capacity);
    this.random = mulberry32(seed);
  }

  private skip(): void {
    this.w *= Math.exp(Math.log(this.uniform()) / this.capacity);
    this.next += Math.floor(Math.log(this.uniform()) / Math.log(1 - this.w)) + 1;
  }

  /** In (0, 1): log(0) would end the sampling. */
  private uniform(): number {
    return this.random() || Number.MIN_VALUE;
  }

  add(v: number): void {
    if (!Number.isFinite(v)) return;
    if (this.seen < this.capacity) {
      this.values[this.seen] = v;
      if (this.seen === this.capacity - 1) {
        this.next = this.seen;
        this.skip();
      }
    } else if (this.seen === this.next) {
      this.values[Math.floor(this.random() * this.capacity)] = v;
      this.skip();
    }
    this.seen++;
  }

  addAll(vs: ArrayLike<number>): void {
    for (let i = 0; i < vs.length; i++) this.add(vs[i]);
  }

  get count(): number {
    return Math.min(this.seen, this.capacity);
  }

  /** Quantiles (q in [0,1]) with linear interpolation between order statistics; NaN when empty. */
  quantiles(qs: number[]): number[] {
    const n = this.count;
    if (n === 0) return qs.map(() => Number.NaN);
    const sorted = this.values.slice(0, n).sort();
    return qs.map((q) => {
      const pos = q * (n - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(n - 1, lo + 1);
      return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    });
  }
}

/** S distinct positions in [0, size), seeded, sorted (a strided pick would alias with channel/row strides). */
export function samplePositions(size: number, s: number, seed: number): number[] {
  if (size <= s) return Array.from({ length: size }, (_, i) => i);
  const random = mulberry32(seed);
  const picked = new Set<number>();
  while (picked.size < s) picked.add(Math.floor(random() * size));
  return [...picked].sort((a, b) => a - b);
}

/** mulberry32: small, fast, seeded; good enough to pick reservoir slots and sample positions. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
