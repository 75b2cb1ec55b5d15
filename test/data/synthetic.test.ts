import { describe, expect, it } from 'vitest';
import { createSynthetic } from '../../data/synthetic.js';
import type { Batch } from '../../data/types.js';

describe('synthetic', () => {
  it('is deterministic per index, independent of batch composition', async () => {
    const a = createSynthetic({ seed: 7, channels: 3, height: 16, width: 20 });
    const b = createSynthetic({ seed: 7, channels: 3, height: 16, width: 20 });
    const one = await a.read('train', [42]);
    const many = await b.read('train', [3, 42, 9]);
    const size = 16 * 20 * 3;
    expect(one.images).toEqual(many.images.subarray(size, 2 * size));
    expect(await a.read('train', [42])).toEqual(one);
    expect(one.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    const otherSeed = await createSynthetic({ seed: 8, channels: 3, height: 16, width: 20 }).read('train', [42]);
    expect(otherSeed.images).not.toEqual(one.images);
    const testSplit = await a.read('test', [42]);
    expect(testSplit.images).not.toEqual(one.images);
  });

  it('describes itself and balances labels', async () => {
    const src = createSynthetic({ classes: 4, trainCount: 10, testCount: 6 });
    expect(src.info).toMatchObject({
      name: 'synthetic',
      classes: 4,
      height: 28,
      width: 28,
      channels: 1,
      trainCount: 10,
      testCount: 6,
      origin: 'procedural',
    });
    expect(Array.from(await src.labels('test'))).toEqual([0, 1, 2, 3, 0, 1]);
    expect(Array.from((await src.read('train', [5, 2])).labels)).toEqual([1, 2]);
    await expect(src.read('test', [6])).rejects.toThrow(/test index 6/);
    expect(() => createSynthetic({ channels: 2 as 1 })).toThrow(/channels must be 1 or 3/);
  });

  it('classes are separable: distinct class means, nearest-centroid beats chance by far', async () => {
    const classes = 10;
    const src = createSynthetic({ classes, trainCount: 400, testCount: 200, seed: 3 });
    const size = 28 * 28;
    const train = await src.read(
      'train',
      Array.from({ length: 400 }, (_, i) => i),
    );
    const means = Array.from({ length: classes }, () => new Float64Array(size));
    const counts = new Array<number>(classes).fill(0);
    for (let n = 0; n < train.count; n++) {
      counts[train.labels[n]]++;
      for (let k = 0; k < size; k++) means[train.labels[n]][k] += train.images[n * size + k];
    }
    means.forEach((m, c) =>
      m.forEach((v, k) => {
        m[k] = v / counts[c];
      }),
    );
    const dist = (img: Float32Array | Float64Array, off: number, m: Float64Array) => {
      let d = 0;
      for (let k = 0; k < size; k++) d += (img[off + k] - m[k]) ** 2;
      return d;
    };
    // every pair of class means is well apart (RMS pixel difference)
    for (let a = 0; a < classes; a++)
      for (let b = a + 1; b < classes; b++) {
        expect(Math.sqrt(dist(means[a], 0, means[b]) / size)).toBeGreaterThan(0.03);
      }
    const test: Batch = await src.read(
      'test',
      Array.from({ length: 200 }, (_, i) => i),
    );
    let correct = 0;
    for (let n = 0; n < test.count; n++) {
      let best = 0;
      for (let c = 1; c < classes; c++)
        if (dist(test.images, n * size, means[c]) < dist(test.images, n * size, means[best])) best = c;
      if (best === test.labels[n]) correct++;
    }
    expect(correct / test.count).toBeGreaterThan(0.6);
  });
});
