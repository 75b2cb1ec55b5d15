import { Rng } from '../../data/rng.js';

/**
 * Draws training indices as consecutive slices of shuffled passes over the split. The permutation of
 * pass p comes from (seed, p) alone, so (pass, cursor) is the whole state a checkpoint must keep.
 */
export class EpochSampler {
  private permutation: Int32Array | null = null;

  constructor(
    private readonly count: number,
    private readonly seed: number,
    public pass = 0,
    public cursor = 0,
  ) {
    if (count <= 0) throw new Error('the training split is empty: the data source returned 0 training examples');
  }

  next(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (this.cursor >= this.count) {
        this.pass++;
        this.cursor = 0;
        this.permutation = null;
      }
      out[i] = this.order()[this.cursor++];
    }
    return out;
  }

  private order(): Int32Array {
    if (!this.permutation) {
      const p = new Int32Array(this.count);
      for (let i = 0; i < this.count; i++) p[i] = i;
      new Rng((this.seed * 1000003 + this.pass) >>> 0).shuffle(p);
      this.permutation = p;
    }
    return this.permutation;
  }
}
