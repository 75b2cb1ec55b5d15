/**
 * Per-image, per-channel reductions of an NCHW float32 batch in JavaScript, with the same meaning as the graph's
 * (taps/tap-graph.ts): max, min, mean, mean of squares, and the zero indicator min(1, |x|·ZERO_GAIN) (|x| < 1e-30
 * counts as zero, smaller-than-that values fractionally, as the graph's HardSigmoid pair does). Used for the model
 * input, which JavaScript already holds: on model M its in-graph reductions cost ≈ 0.3 ms per batch of 64, mostly
 * node overhead on a 1-channel map, against ≈ 0.1 ms for this loop.
 */
import { ZERO_GAIN, type PerImage } from './types.js';

export function reduceNchw(x: Float32Array, count: number, channels: number, spatial: number, positions: readonly number[]): { values: Required<Pick<PerImage, 'max' | 'mean' | 'min' | 'meanSq' | 'pos'>>; sample: Float32Array } {
  const size = count * channels;
  if (x.length !== size * spatial) {
    throw new Error(`Input batch holds ${x.length} values, expected ${count} images × ${channels} channels × ${spatial} positions.`);
  }
  const max = new Float32Array(size);
  const min = new Float32Array(size);
  const mean = new Float32Array(size);
  const meanSq = new Float32Array(size);
  const pos = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const base = j * spatial;
    let hi = -Infinity;
    let lo = Infinity;
    let sum = 0;
    let sumSq = 0;
    let nonzero = 0;
    for (let s = 0; s < spatial; s++) {
      const v = x[base + s];
      if (v > hi || v !== v) hi = v;
      if (v < lo || v !== v) lo = v;
      sum += v;
      sumSq += v * v;
      nonzero += Math.min(1, Math.abs(v) * ZERO_GAIN);
    }
    max[j] = hi;
    min[j] = lo;
    mean[j] = sum / spatial;
    meanSq[j] = sumSq / spatial;
    pos[j] = nonzero / spatial;
  }
  const per = channels * spatial;
  const sample = new Float32Array(count * positions.length);
  for (let n = 0; n < count; n++) for (let k = 0; k < positions.length; k++) sample[n * positions.length + k] = x[n * per + positions[k]];
  return { values: { max, min, mean, meanSq, pos }, sample };
}
