import { describe, expect, it } from 'vitest';
import { augmentBatch } from '../../data/augment.js';
import type { Batch, DatasetInfo } from '../../data/types.js';
import { Rng } from '../../data/rng.js';

const info: DatasetInfo = {
  name: 't',
  height: 3,
  width: 3,
  channels: 1,
  classes: 2,
  labels: ['a', 'b'],
  trainCount: 1,
  testCount: 0,
  origin: 'test',
};
// 1 2 3 / 4 5 6 / 7 8 9
const batch: Batch = { images: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), labels: Int32Array.from([1]), count: 1 };

/** Replays fixed draws so the expected output can be worked out by hand. */
class ScriptedRng extends Rng {
  constructor(
    private ints: number[],
    private floats: number[],
  ) {
    super(0);
  }
  override int(): number {
    return this.ints.shift()!;
  }
  override next(): number {
    return this.floats.shift()!;
  }
}

describe('augmentBatch', () => {
  it('crop with padding 1 at padded offset (0, 2), by hand', () => {
    // padded 5x5 has the image at rows/cols 1..3; crop at (row 0, col 2) takes padded rows 0..2,
    // cols 2..4 -> row 0 is padding, then [2 3 0] and [5 6 0]
    const out = augmentBatch(batch, info, new ScriptedRng([0, 2], []), { cropPadding: 1, flip: false });
    expect(Array.from(out.images)).toEqual([0, 0, 0, 2, 3, 0, 5, 6, 0]);
    expect(Array.from(out.labels)).toEqual([1]);
    expect(Array.from(batch.images)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('crop then flip, by hand', () => {
    // crop at (2, 1): padded rows 2..4, cols 1..3 -> [4 5 6] [7 8 9] [0 0 0]; mirrored
    const out = augmentBatch(batch, info, new ScriptedRng([2, 1], [0.3]), { cropPadding: 1, flip: true });
    expect(Array.from(out.images)).toEqual([6, 5, 4, 9, 8, 7, 0, 0, 0]);
    const kept = augmentBatch(batch, info, new ScriptedRng([1, 1], [0.7]), { cropPadding: 1, flip: true });
    expect(Array.from(kept.images)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is deterministic given the Rng state and keeps channels together', () => {
    const rgb: DatasetInfo = { ...info, channels: 3 };
    const images = Float32Array.from({ length: 4 * 27 }, (_, i) => i / 108);
    const b: Batch = { images, labels: Int32Array.from([0, 1, 0, 1]), count: 4 };
    const r1 = new Rng(5);
    const r2 = new Rng(r1.state());
    const a = augmentBatch(b, rgb, r1, { cropPadding: 2, flip: true });
    expect(augmentBatch(b, rgb, r2, { cropPadding: 2, flip: true })).toEqual(a);
    expect(r1.state()).toEqual(r2.state());
    // any non-zero output pixel is a whole RGB triple copied from the same example
    for (let p = 0; p < 36; p++) {
      const px = a.images.subarray(p * 3, p * 3 + 3);
      if (px[0] !== 0) expect([px[1] - px[0], px[2] - px[0]].map((d) => Math.round(d * 108))).toEqual([1, 2]);
    }
    expect(() => augmentBatch(b, info, new Rng(1), { cropPadding: 0, flip: false })).toThrow(/3x3x1/);
  });
});
