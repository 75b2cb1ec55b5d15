/** The JavaScript reduction of the input tap against a hand computation (same meaning as the graph's). */
import { describe, expect, it } from 'vitest';
import { reduceNchw } from '../../probe/stats/nchw-reduce.js';
import { packedRow } from '../../probe/stats/packed.js';
import type { PackedStats, StatField } from '../../probe/stats/types.js';
import { TapAccumulator } from '../../probe/stats/tap-accumulator.js';

/** One field over every image of a packing, image-major. */
const field = (p: PackedStats, f: StatField, count: number, c: number): number[] =>
  Array.from({ length: count }, (_, n) => packedRow(p, f, n, c)).flat();

describe('input reduction in JavaScript', () => {
  // 2 images × 2 channels × 3 positions.
  const x = Float32Array.from([1, 0, -2, 4, 4, 4, 0, 0, 0, 3, -1, 1e-31]);

  it('gives per image, per channel max, min, mean, mean of squares, nonzero fraction and the fixed positions', () => {
    const { values: v, sample } = reduceNchw(x, 2, 2, 3, [0, 4]);
    expect(field(v, 'max', 2, 2)).toEqual([1, 4, 0, 3]);
    expect(field(v, 'min', 2, 2)).toEqual([-2, 4, 0, -1]);
    expect(field(v, 'mean', 2, 2).map((m) => +m.toFixed(6))).toEqual([-1 / 3, 4, 0, 2 / 3].map((m) => +m.toFixed(6)));
    expect(field(v, 'meanSq', 2, 2).map((m) => +m.toFixed(6))).toEqual(
      [5 / 3, 16, 0, 10 / 3].map((m) => +m.toFixed(6)),
    );
    // 1e-31 counts as 0.1 of a nonzero value, as the graph's Clip(1e30·|x|, 0, 1) does.
    expect(field(v, 'pos', 2, 2).map((m) => +m.toFixed(6))).toEqual([2 / 3, 1, 0, 2.1 / 3].map((m) => +m.toFixed(6)));
    expect([...sample]).toEqual([1, 4, 0, -1]);
  });

  it('keeps NaN visible in max, min and the accumulated std', () => {
    const y = Float32Array.from([1, Number.NaN, 2]);
    const { values: v } = reduceNchw(y, 1, 1, 3, []);
    expect(packedRow(v, 'max', 0, 1)[0]).toBeNaN();
    expect(packedRow(v, 'min', 0, 1)[0]).toBeNaN();
    const acc = new TapAccumulator(1, false);
    acc.add(1, 3, v);
    expect(acc.channelStats().std[0]).toBeNaN();
  });

  it('keeps +Infinity and -Infinity in one row as max and min, not NaN', () => {
    const { values: v } = reduceNchw(Float32Array.from([Infinity, -Infinity, 1]), 1, 1, 3, []);
    expect(packedRow(v, 'max', 0, 1)[0]).toBe(Infinity);
    expect(packedRow(v, 'min', 0, 1)[0]).toBe(-Infinity);
  });

  it('names the mismatch when the batch has the wrong size', () => {
    expect(() => reduceNchw(x, 3, 2, 3, [])).toThrow(/12 values, expected 3 images × 2 channels × 3 positions/);
  });
});
