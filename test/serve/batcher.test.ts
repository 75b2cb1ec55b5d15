/** The request batcher on its own: what merges, what splits, and failures reaching every caller. */
import { describe, expect, it } from 'vitest';
import { Batcher } from '../../serve/models/batcher.js';

/** A fake model: each image of size 2 → [sum, run index], recording every run's image count. */
function fake(fail = false) {
  const runs: number[] = [];
  const run = async (input: Float32Array, images: number): Promise<Float32Array> => {
    runs.push(images);
    if (fail) throw new Error('boom');
    return Float32Array.from({ length: images * 2 }, (_, i) => (i % 2 === 0 ? input[i] + input[i + 1] : runs.length));
  };
  return { runs, run };
}

const image = (k: number): Float32Array => Float32Array.of(k, 10 * k);

describe('Batcher', () => {
  it('merges requests submitted in one turn into one run, answers in order', async () => {
    const f = fake();
    const b = new Batcher(f.run, 2, 64);
    const out = await Promise.all([1, 2, 3, 4].map((k) => b.submit(image(k), 1)));
    expect(f.runs).toEqual([4]);
    expect(out.map((o) => o[0])).toEqual([11, 22, 33, 44]);
  });

  it('keeps multi-image requests whole and never passes maxImages', async () => {
    const f = fake();
    const b = new Batcher(f.run, 2, 4);
    const two = Float32Array.of(1, 1, 2, 2);
    const out = await Promise.all([b.submit(two, 2), b.submit(two, 2), b.submit(two, 2), b.submit(image(5), 1)]);
    expect(f.runs).toEqual([4, 3]);
    expect(Array.from(out[2])).toEqual([2, 2, 4, 2]);
    expect(out[3][0]).toBe(55);
  });

  it('a lone request runs at once, one after another', async () => {
    const f = fake();
    const b = new Batcher(f.run, 2, 64);
    for (const k of [1, 2, 3]) expect((await b.submit(image(k), 1))[0]).toBe(11 * k);
    expect(f.runs).toEqual([1, 1, 1]);
    expect(b.stats).toEqual({ runs: 3, images: 3 });
  });

  it('a failed run rejects every request in it, and the next run still happens', async () => {
    const bad = fake(true);
    const b = new Batcher(bad.run, 2, 64);
    const results = await Promise.allSettled([b.submit(image(1), 1), b.submit(image(2), 1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(b.submit(image(3), 1)).rejects.toThrow('boom');
  });
});
