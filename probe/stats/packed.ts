/** Reading and repacking `PackedStats` rows (the layout is described in types.ts). */
import type { PackedStats, StatField } from './types.js';

/**
 * Image n's values of one field as a plain array. Asking for `min` of a packing that holds the graph's
 * `negMin` (max(−x)) gives it negated back.
 */
export function packedRow(p: PackedStats, field: StatField, n: number, channels: number): number[] {
  const stored = field === 'min' && !p.fields.includes('min') ? 'negMin' : field;
  const f = p.fields.indexOf(stored);
  if (f < 0)
    throw new Error(`Packed reductions lack "${field}" (fields: ${p.fields.join(', ')}); the graph lost an output.`);
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
    from.forEach((i, j) =>
      data.set(p.data.subarray((n * k + i) * channels, (n * k + i + 1) * channels), (n * fields.length + j) * channels),
    );
  }
  return { data, fields };
}

/**
 * The packed reductions of a channel Concat, from those of its inputs: row r of the result is each part's
 * row r side by side, field by field. Per-channel reductions of a concatenated map are exactly its inputs'
 * reductions, so no pass over the concatenated map is needed. All parts must carry the same fields.
 */
export function concatChannels(
  parts: ReadonlyArray<{ data: Float32Array; channels: number }>,
  rows: number,
  fields: number,
): Float32Array {
  const total = parts.reduce((n, p) => n + p.channels, 0);
  const out = new Float32Array(rows * fields * total);
  for (const p of parts) {
    if (p.data.length !== rows * fields * p.channels) {
      throw new Error(
        `A concatenated tap's part holds ${p.data.length} values, expected ${rows} rows × ${fields} fields × ${p.channels} channels; the parts' fields differ.`,
      );
    }
  }
  let at = 0;
  for (let r = 0; r < rows * fields; r++) {
    for (const p of parts) {
      out.set(p.data.subarray(r * p.channels, (r + 1) * p.channels), at);
      at += p.channels;
    }
  }
  return out;
}

/**
 * A concatenated tap's per-image reservoir sample from its parts' samples: part i gives ≈ S · size_i / Σ size
 * of its values per image (evenly spaced through its own sorted random positions), so every element of the
 * concatenated map is about equally likely to be sampled.
 */
export function concatSamples(
  parts: ReadonlyArray<{ sample: Float32Array; perImage: number; size: number }>,
  images: number,
  perImage: number,
): Float32Array {
  const total = parts.reduce((n, p) => n + p.size, 0);
  const take = parts.map((p) => Math.min(p.perImage, Math.max(1, Math.round((perImage * p.size) / total))));
  const per = take.reduce((a, b) => a + b, 0);
  const out = new Float32Array(images * per);
  let at = 0;
  for (let n = 0; n < images; n++) {
    parts.forEach((p, i) => {
      for (let j = 0; j < take[i]; j++) out[at++] = p.sample[n * p.perImage + Math.floor((j * p.perImage) / take[i])];
    });
  }
  return out;
}
