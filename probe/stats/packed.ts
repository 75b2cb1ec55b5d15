/** Reading and repacking `PackedStats` rows (the layout is described in types.ts). */
import type { PackedStats, StatField } from './types.js';

/**
 * Image n's values of one field as a plain array. Asking for `min` of a packing that holds the graph's
 * `negMin` (max(−x)) gives it negated back.
 */
export function packedRow(p: PackedStats, field: StatField, n: number, channels: number): number[] {
  const stored = field === 'min' && !p.fields.includes('min') ? 'negMin' : field;
  const f = p.fields.indexOf(stored);
  if (f < 0) throw new Error(`Packed reductions lack "${field}" (fields: ${p.fields.join(', ')}); the graph lost an output.`);
  const sign = stored === 'negMin' ? -1 : 1;
  const from = (n * p.fields.length + f) * channels;
  return Array.from(p.data.subarray(from, from + channels), (v) => sign * v);
}

/** A packing of `fields` only (in that order), copied out of `p`. */
export function pickFields(p: PackedStats, fields: readonly StatField[], count: number, channels: number): PackedStats {
  const k = p.fields.length;
  const from = fields.map((f) => {
    const i = p.fields.indexOf(f);
    if (i < 0) throw new Error(`Packed reductions lack "${f}" (fields: ${p.fields.join(', ')}).`);
    return i;
  });
  const data = new Float32Array(count * fields.length * channels);
  for (let n = 0; n < count; n++) {
    from.forEach((i, j) => data.set(p.data.subarray((n * k + i) * channels, (n * k + i + 1) * channels), (n * fields.length + j) * channels));
  }
  return { data, fields };
}
