/**
 * Per-image, per-channel reductions of an NCHW float32 batch in JavaScript, with the same meaning as the graph's
 * (taps/tap-graph.ts): max, min, mean, mean of squares, and the zero indicator min(1, |x|·ZERO_GAIN) (|x| < 1e-30
 * counts as zero, smaller-than-that values fractionally, as the graph's HardSigmoid pair does). Used for the model
 * input, which JavaScript already holds: on model M its in-graph reductions cost ≈ 0.3 ms per batch of 64, mostly
 * node overhead on a 1-channel map, against ≈ 0.1 ms for this loop.
 */
import { ZERO_GAIN, type PackedStats, type StatField } from './types.js';

/** The fields `reduceNchw` packs per image, in this order. */
export const INPUT_FIELDS: readonly StatField[] = ['max', 'mean', 'min', 'meanSq', 'pos'];

export function reduceNchw(
  x: Float32Array,
  count: number,
  channels: number,
  spatial: number,
  positions: readonly number[],
): { values: PackedStats; sample: Float32Array } {
  const size = count * channels;
  if (x.length !== size * spatial) {
    throw new Error(
      `Input batch holds ${x.length} values, expected ${count} images × ${channels} channels × ${spatial} positions.`,
    );
  }
  const k = INPUT_FIELDS.length;
  const data = new Float32Array(size * k);
  for (let j = 0; j < size; j++) {
    const base = j * spatial;
    const n = Math.floor(j / channels);
    const row = n * k * channels + (j - n * channels);
    let hi = -Infinity;
    let lo = Infinity;
    let sum = 0;
    let sumSq = 0;
    let nonzero = 0;
    for (let s = 0; s < spatial; s++) {
      const v = x[base + s];
      if (v > hi) hi = v;
      if (v < lo) lo = v;
      sum += v;
      sumSq += v * v;
      const a = Math.abs(v) * ZERO_GAIN;
      nonzero += Math.min(a, 1);
    }
    if (sum !== sum) {
      // A NaN in the row (or +∞ next to −∞): rescan it so that only a real NaN turns max and min into NaN.
      for (let s = 0; s < spatial; s++) {
        const v = x[base + s];
        if (v !== v) hi = lo = Number.NaN;
      }
    }
    data[row] = hi;
    data[row + channels] = sum / spatial;
    data[row + 2 * channels] = lo;
    data[row + 3 * channels] = sumSq / spatial;
    data[row + 4 * channels] = nonzero / spatial;
  }
  const per = channels * spatial;
  const sample = new Float32Array(count * positions.length);
  for (let n = 0; n < count; n++)
    for (let k = 0; k < positions.length; k++) sample[n * positions.length + k] = x[n * per + positions[k]];
  return { values: { data, fields: INPUT_FIELDS }, sample };
}
