/**
 * Parity of the added depthwise gradient kernels and the BatchMatMul and Tile overrides against cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { selectBackend } from '../../../train/backend/index.js';
import { expectParity, randomHost, type HostTensor, weightedSum } from './parity.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

interface DwCase {
  name: string;
  x: number[];
  f: number[];
  stride: number;
  pad: 'same' | 'valid';
}
const dwCases: DwCase[] = [
  { name: '7×7 same s1 ×1', x: [2, 7, 7, 3], f: [3, 3, 3, 1], stride: 1, pad: 'same' },
  { name: '9×9 valid s2 ×1', x: [2, 9, 9, 3], f: [3, 3, 3, 1], stride: 2, pad: 'valid' },
  { name: '9×9 same s2 ×2', x: [2, 9, 9, 3], f: [3, 3, 3, 2], stride: 2, pad: 'same' },
  { name: '8×7 same s1 1×5 ×2', x: [2, 8, 7, 2], f: [1, 5, 2, 2], stride: 1, pad: 'same' },
  { name: '8×8 same s2 3×1 ×1', x: [2, 8, 8, 2], f: [3, 1, 2, 1], stride: 2, pad: 'same' },
];

describe('depthwiseConv2d gradients on wasm match cpu', () => {
  it.each(dwCases)('$name', async ({ x, f, stride, pad }) => {
    await expectParity(
      (xt, ft) => {
        const conv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor4D =>
          tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => weightedSum(conv(a, b)))([xt, ft]);
        return [conv(xt, ft), dx, df];
      },
      [randomHost(x, 11), randomHost(f, 12)],
    );
  });
});

/** The 3×3 filter dilated by 2 written out as a 5×5 filter with zeros between the taps. */
function dilate2(h: HostTensor): HostTensor {
  const [kh, kw, c, m] = h.shape;
  const out = new Float32Array(5 * 5 * c * m);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let k = 0; k < c * m; k++) {
        out[(2 * i * 5 + 2 * j) * c * m + k] = h.values[(i * kw + j) * c * m + k];
      }
  return { shape: [5, 5, c, m], values: out };
}

describe('depthwise backprop kernels with dilation 2 (reference: cpu on the zero-filled 5×5 filter)', () => {
  const kernel = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor =>
    tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;

  it.each(['same', 'valid'] as const)('input gradient, pad %s', async (pad) => {
    const f = randomHost([3, 3, 3, 2], 13);
    const dyShape = pad === 'same' ? [2, 9, 9, 6] : [2, 5, 5, 6];
    const dy = randomHost(dyShape, 14);
    await expectParity(
      (dyt, ft, f5) => {
        const wasm = tf.getBackend() === 'wasm';
        return [
          kernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy: dyt, filter: wasm ? ft : f5 },
            { strides: 1, pad, dilations: wasm ? 2 : 1, inputShape: [2, 9, 9, 3] },
          ),
        ];
      },
      [dy, f, dilate2(f)],
    );
  });

  it.each(['same', 'valid'] as const)('filter gradient, pad %s', async (pad) => {
    const dyShape = pad === 'same' ? [2, 9, 9, 6] : [2, 5, 5, 6];
    await expectParity(
      (xt, dyt) => {
        if (tf.getBackend() === 'wasm') {
          return [
            kernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: xt, dy: dyt },
              { strides: 1, pad, dilations: 2, filterShape: [3, 3, 3, 2] },
            ),
          ];
        }
        const full = kernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x: xt, dy: dyt },
          { strides: 1, pad, dilations: 1, filterShape: [5, 5, 3, 2] },
        );
        return [tf.stridedSlice(full, [0, 0, 0, 0], [5, 5, 3, 2], [2, 2, 1, 1])];
      },
      [randomHost([2, 9, 9, 3], 15), randomHost(dyShape, 16)],
    );
  });
});

describe('matMul with transposed operands (native GEMM, else explicit-transpose override) matches cpu', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA=%s transposeB=%s, batched too', async (ta, tb) => {
    const a = randomHost(ta ? [3, 7, 5] : [3, 5, 7], 17);
    const b = randomHost(tb ? [3, 4, 7] : [3, 7, 4], 18);
    await expectParity(
      (at, bt) => {
        const firstOfBatch = (t: tf.Tensor): tf.Tensor2D => t.slice([0, 0, 0], [1, -1, -1]).squeeze([0]);
        return [tf.matMul(at, bt, ta, tb), tf.matMul(firstOfBatch(at), firstOfBatch(bt), ta, tb)];
      },
      [a, b],
      1e-4,
      ['batchMatMul'],
    );
  });

  it.each([
    [false, false],
    [true, true],
  ])('one batch of 1 broadcast, and sizes that use two threads (transposeA=%s transposeB=%s)', async (ta, tb) => {
    const a = randomHost(ta ? [1, 96, 130] : [1, 130, 96], 20);
    const b = randomHost(tb ? [3, 70, 96] : [3, 96, 70], 21);
    await expectParity((at, bt) => [tf.matMul(at, bt, ta, tb)], [a, b], 1e-4, ['batchMatMul']);
  });
});

describe('tile (memcpy override for whole-tensor repeats) matches cpu', () => {
  it.each([
    ['BatchNorm gradient shape', [1, 1, 1, 5], [2, 3, 4, 1]],
    ['plain leading repeat', [1, 3, 2], [4, 1, 1]],
    ['odd count', [1, 7], [3, 1]],
    ['inner axis tiled (stock kernel)', [2, 1, 3], [1, 4, 2]],
  ] as const)('%s', async (_name, shape, reps) => {
    await expectParity(
      (xt) => [tf.tile(xt, [...reps]), tf.tile(xt.toInt(), [...reps]).toFloat()],
      [randomHost([...shape], 19)],
      0,
    );
  });
});
