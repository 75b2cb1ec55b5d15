import { describe, expect, it } from 'vitest';
import {
  NCHW_TO_NHWC,
  NHWC_TO_NCHW,
  onnxAxis,
  onnxShape,
  permute,
  toOnnxLayout,
  transposeIsNoop,
} from '../../export/layout.js';

/** Value at NHWC (n, h, w, c) encodes its own index, so a misplaced element names where it came from. */
const code = (...idx: number[]): number => idx.reduce((a, i) => a * 10 + i, 0);

function filled(shape: number[]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let o = 0;
  const walk = (prefix: number[]): void => {
    if (prefix.length === shape.length) {
      out[o++] = code(...prefix);
      return;
    }
    for (let i = 0; i < shape[prefix.length]; i++) walk([...prefix, i]);
  };
  walk([]);
  return out;
}

describe('toOnnxLayout', () => {
  it('moves NHWC activations to NCHW element by element', () => {
    const shape = [2, 3, 4, 5];
    const { values, shape: out } = toOnnxLayout('activation', filled(shape), shape);
    expect(out).toEqual([2, 5, 3, 4]);
    // NCHW index (n, c, h, w) must hold the NHWC element (n, h, w, c).
    const at = (n: number, c: number, h: number, w: number): number => values[((n * 5 + c) * 3 + h) * 4 + w];
    expect(at(1, 4, 2, 3)).toBe(code(1, 2, 3, 4));
    expect(at(0, 2, 1, 0)).toBe(code(0, 1, 0, 2));
  });

  it('moves HWIO conv kernels to OIHW', () => {
    const shape = [3, 2, 4, 5];
    const { values, shape: out } = toOnnxLayout('conv-kernel', filled(shape), shape);
    expect(out).toEqual([5, 4, 3, 2]);
    const at = (o: number, i: number, h: number, w: number): number => values[((o * 4 + i) * 3 + h) * 2 + w];
    expect(at(4, 3, 2, 1)).toBe(code(2, 1, 3, 4));
    expect(at(1, 0, 0, 1)).toBe(code(0, 1, 0, 1));
  });

  it('makes a depthwise [H, W, C, M] kernel a grouped [C·M, 1, H, W] kernel in TF channel order c·M + m', () => {
    const shape = [2, 3, 4, 2];
    const { values, shape: out } = toOnnxLayout('depthwise-kernel', filled(shape), shape);
    expect(out).toEqual([8, 1, 2, 3]);
    const at = (o: number, h: number, w: number): number => values[(o * 2 + h) * 3 + w];
    expect(at(3 * 2 + 1, 1, 2)).toBe(code(1, 2, 3, 1));
  });

  it('leaves tensors of other ranks alone and rejects a wrong element count', () => {
    const v = Float32Array.of(1, 2, 3, 4, 5, 6);
    expect(toOnnxLayout('activation', v, [2, 3]).values).toBe(v);
    expect(() => toOnnxLayout('activation', v, [2, 2])).toThrow(/does not hold 6 values/);
    expect(() => toOnnxLayout('conv-kernel', v, [2, 3])).toThrow(/rank-4 kernel/);
  });

  it('round-trips through the inverse permutation', () => {
    const shape = [2, 3, 4, 5];
    const v = filled(shape);
    const there = permute(v, shape, NHWC_TO_NCHW);
    expect(permute(there.values, there.shape, NCHW_TO_NHWC).values).toEqual(v);
  });
});

describe('layout helpers', () => {
  it('maps shapes and axes the same way as data', () => {
    expect(onnxShape([null, 7, 9, 3])).toEqual([null, 3, 7, 9]);
    expect(onnxShape([null, 10])).toEqual([null, 10]);
    expect([0, 1, 2, 3, -1].map((a) => onnxAxis(a, 4))).toEqual([0, 2, 3, 1, 1]);
    expect(onnxAxis(-1, 2)).toBe(1);
    expect(() => onnxAxis(4, 4)).toThrow(/out of range/);
  });

  it('knows when a transpose only moves size-1 axes', () => {
    expect(transposeIsNoop([null, 8, 1, 1], NCHW_TO_NHWC)).toBe(true);
    expect(transposeIsNoop([null, 1, 4, 4], NCHW_TO_NHWC)).toBe(true);
    expect(transposeIsNoop([null, 8, 4, 4], NCHW_TO_NHWC)).toBe(false);
    expect(transposeIsNoop([null, 1, 1, 8], NHWC_TO_NCHW)).toBe(true);
  });
});
