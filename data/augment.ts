import type { Rng } from './rng.js';
import type { Batch, DatasetInfo } from './types.js';

export interface AugmentOptions {
  /** Zero padding on each side before a random crop back to the original size; 0 disables. */
  cropPadding: number;
  /** Mirror left-right with probability 1/2. */
  flip: boolean;
}

/**
 * Random crop (zero padding) and horizontal flip, into a new batch; the input is not touched.
 * Draw order per example, which fixes the stream a checkpointed Rng resumes: when cropPadding > 0,
 * `rng.int(2p+1)` for the row offset then for the column offset; when flip, one `rng.next() < 0.5`.
 */
export function augmentBatch(batch: Batch, info: DatasetInfo, rng: Rng, opts: AugmentOptions): Batch {
  const { height: h, width: w, channels: ch } = info;
  const size = h * w * ch;
  const p = opts.cropPadding;
  if (!Number.isInteger(p) || p < 0)
    throw new RangeError(`augment cropPadding must be a non-negative integer, got ${p}.`);
  if (batch.images.length !== batch.count * size || batch.labels.length !== batch.count) {
    throw new RangeError(
      `augmentBatch: batch of ${batch.count} holds ${batch.images.length} values and ${batch.labels.length} labels, ` +
        `but ${info.name} images are ${h}x${w}x${ch} (${batch.count * size} values expected).`,
    );
  }
  const images = new Float32Array(batch.images.length);
  for (let n = 0; n < batch.count; n++) {
    const dy = p > 0 ? rng.int(2 * p + 1) - p : 0;
    const dx = p > 0 ? rng.int(2 * p + 1) - p : 0;
    const mirror = opts.flip && rng.next() < 0.5;
    const base = n * size;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      if (sy < 0 || sy >= h) continue; // stays zero: it falls in the padding
      for (let x = 0; x < w; x++) {
        const sx = (mirror ? w - 1 - x : x) + dx;
        if (sx < 0 || sx >= w) continue;
        const src = base + (sy * w + sx) * ch;
        const dst = base + (y * w + x) * ch;
        for (let c = 0; c < ch; c++) images[dst + c] = batch.images[src + c];
      }
    }
  }
  return { images, labels: Int32Array.from(batch.labels), count: batch.count };
}
