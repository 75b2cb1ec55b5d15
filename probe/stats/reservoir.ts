/**
 * Layer percentiles (p1/p50/p99) from a uniform reservoir sample (Vitter's algorithm R, seeded: one cheap
 * random number per value once full; algorithm L's skips need three logarithms per value that enters, which
 * cost more at the probe's typical 4–16 values offered per slot), fed by the S fixed per-image positions the graph gathers. Memory is `capacity` floats whatever the image count.
 *
 * Error: with K values in the reservoir, the rank of an estimated p-quantile has a standard error of
 * sqrt(p(1-p)/K) — for K = 4096: ±0.16 percentile points at p1/p99 and ±0.78 at p50 (one sigma) — and by the
 * DKW inequality all quantiles are within ±2.1 percentile points of their true rank with 95% probability.
 * Positions are fixed per image (drawn once per tap), so with few images the estimate also carries the
 * spread between positions; with the default 64 positions × 256 images the reservoir is a mix of 16k values.
 */
const ONE = new Float64Array(1);

export class Reservoir {
  private readonly values: Float64Array;
  /** Finite values offered so far. */
  private seen = 0;
  /** xorshift32 state: slot choice only needs a fast, seeded, full-period generator. */
  private state: number;

  constructor(
    readonly capacity = 4096,
    seed = 0x9e3779b9,
  ) {
    this.values = new Float64Array(capacity);
    this.state = seed >>> 0 || 1;
  }

  add(v: number): void {
    ONE[0] = v;
    this.addAll(ONE);
  }

  /** Non-finite values are skipped. */
  addAll(vs: ArrayLike<number>): void {
    const { capacity, values } = this;
    let seen = this.seen;
    let x = this.state;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i];
      if (v - v !== 0) continue; // NaN or ±Infinity
      if (seen < capacity) values[seen] = v;
      else {
        // Algorithm R: the value numbered `seen` (from 0) replaces a random slot with probability capacity / (seen + 1).
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const j = Math.floor(((x >>> 0) / 4294967296) * (seen + 1));
        if (j < capacity) values[j] = v;
      }
      seen++;
    }
    this.seen = seen;
    this.state = x;
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
