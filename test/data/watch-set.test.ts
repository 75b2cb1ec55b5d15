import { describe, expect, it } from 'vitest';
import { createSynthetic } from '../../data/synthetic.js';
import type { DatasetInfo } from '../../data/types.js';
import { watchSetForSource, watchSetIndices } from '../../data/watch-set.js';

const info = (testCount: number, classes = 3): DatasetInfo => ({
  name: 't',
  height: 1,
  width: 1,
  channels: 1,
  classes,
  labels: [],
  trainCount: 0,
  testCount,
  origin: 'test',
});

describe('watchSetIndices', () => {
  it('is a pure function of its inputs', () => {
    const a = watchSetIndices(info(1000), 16, 4);
    expect(watchSetIndices(info(1000), 16, 4)).toEqual(a);
    expect(watchSetIndices(info(1000), 16, 5)).not.toEqual(a);
    expect(new Set(a).size).toBe(16);
    expect(a.every((i) => Number.isInteger(i) && i >= 0 && i < 1000)).toBe(true);
    // one pick in each of 16 equal strata [floor(k * 62.5), floor((k + 1) * 62.5))
    a.forEach((ix, k) => {
      expect(ix).toBeGreaterThanOrEqual(Math.floor(k * 62.5));
      expect(ix).toBeLessThan(Math.floor((k + 1) * 62.5));
    });
  });

  it('spreads over classes when labels are given, even when they are unbalanced', () => {
    // class 0 dominates; classes 1 and 2 have 2 and 1 examples
    const labels = Int32Array.from({ length: 50 }, (_, i) => (i === 7 || i === 30 ? 1 : i === 44 ? 2 : 0));
    const w = watchSetIndices(info(50), 6, 1, labels);
    expect(w.length).toBe(6);
    expect(w.slice(0, 3).map((i) => labels[i])).toEqual([0, 1, 2]);
    expect(new Set(w.map((i) => labels[i]))).toEqual(new Set([0, 1, 2]));
    expect(w.filter((i) => labels[i] === 1).sort((x, y) => x - y)).toEqual([7, 30]);
    expect(new Set(w).size).toBe(6);
    expect(watchSetIndices(info(50), 6, 1, labels)).toEqual(w);
  });

  it('caps at the test split size and validates inputs', () => {
    expect(watchSetIndices(info(5), 10, 0).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(watchSetIndices(info(5), 0, 0)).toEqual([]);
    expect(() => watchSetIndices(info(5), -1, 0)).toThrow(/count/);
    expect(() => watchSetIndices(info(5), 2, 0, [0, 1])).toThrow(/2 test labels but t has testCount 5/);
  });

  it("uses a source's labels when it has them", async () => {
    const src = createSynthetic({ classes: 4, testCount: 40 });
    const w = await watchSetForSource(src, 8, 2);
    expect((await src.read('test', w)).labels).toEqual(Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]));
  });
});
