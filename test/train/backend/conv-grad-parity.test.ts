/**
 * Gradient parity of actprobe's wasm conv kernels (train/backend/wasm-kernels) against tfjs' cpu
 * backend, through the public ops a training step actually calls.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../train/backend/index.js';
import { batchNormalization } from '../../../train/models/fast-batch-norm.js';
import { NATIVE_FORWARD_MIN_MACS_PER_PIXEL } from '../../../train/backend/native/conv-kernels.js';
import { expectParity, randomHost, weightedSum } from './parity.js';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
interface ConvCase {
  name: string;
  x: number[];
  f: number[];
  stride: number | [number, number];
  pad: Pad;
}

beforeAll(async () => {
  await selectBackend('wasm');
});

const convCases: ConvCase[] = [
  { name: '7×7 same s1 3×3', x: [2, 7, 7, 3], f: [3, 3, 3, 8], stride: 1, pad: 'same' },
  { name: '9×9 valid s1 3×3', x: [2, 9, 9, 3], f: [3, 3, 3, 8], stride: 1, pad: 'valid' },
  { name: '9×9 same s2 3×3', x: [2, 9, 9, 3], f: [3, 3, 3, 8], stride: 2, pad: 'same' },
  { name: '9×9 valid s2 3×3', x: [2, 9, 9, 3], f: [3, 3, 3, 8], stride: 2, pad: 'valid' },
  {
    name: '8×9 same s2 2×2 (TF puts the odd pad bottom/right)',
    x: [2, 8, 9, 3],
    f: [2, 2, 3, 8],
    stride: 2,
    pad: 'same',
  },
  { name: '7×7 same s1 3×1', x: [2, 7, 7, 3], f: [3, 1, 3, 8], stride: 1, pad: 'same' },
  { name: '9×9 same s1 1×5', x: [2, 9, 9, 3], f: [1, 5, 3, 8], stride: 1, pad: 'same' },
  { name: '8×9 same s2 1×5 (XNNPACK same-pad bug)', x: [2, 8, 9, 3], f: [1, 5, 3, 8], stride: 2, pad: 'same' },
  { name: '9×7 valid s[2,1] 3×1', x: [2, 9, 7, 3], f: [3, 1, 3, 8], stride: [2, 1], pad: 'valid' },
  {
    name: '7×7 explicit pads s1',
    x: [2, 7, 7, 3],
    f: [3, 3, 3, 8],
    stride: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: '9×9 explicit pads s2',
    x: [2, 9, 9, 3],
    f: [4, 3, 3, 8],
    stride: 2,
    pad: [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ],
  },
  { name: '7×7 numeric pad 1 s1 5×5', x: [2, 7, 7, 3], f: [5, 5, 3, 8], stride: 1, pad: 1 },
  { name: '11×11 same s3 5×5 (dx via upsampled dy)', x: [2, 11, 11, 2], f: [5, 5, 2, 8], stride: 3, pad: 'same' },
  {
    name: '13×13 valid s4 5×5 (the wasm flavour leaves dx to the stock kernel)',
    x: [2, 13, 13, 2],
    f: [5, 5, 2, 8],
    stride: 4,
    pad: 'valid',
  },
  {
    name: '1×1 pointwise (the native kernels skip im2col)',
    x: [2, 7, 7, 32],
    f: [1, 1, 32, 8],
    stride: 1,
    pad: 'valid',
  },
  {
    name: '16×16 same s1 3×3, 16 images (enough work for two native threads)',
    x: [16, 16, 16, 8],
    f: [3, 3, 8, 32],
    stride: 1,
    pad: 'same',
  },
];

describe('conv2d gradients on wasm match cpu', () => {
  it.each(convCases)('$name', async ({ x, f, stride, pad }) => {
    await expectParity(
      (xt, ft) => {
        const conv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor4D =>
          tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => weightedSum(conv(a, b)))([xt, ft]);
        return [conv(xt, ft), dx, df];
      },
      [randomHost(x, 1), randomHost(f, 2)],
      1e-4,
      [
        ...(f[0] * f[1] * f[2] * f[3] >= NATIVE_FORWARD_MIN_MACS_PER_PIXEL ? ['convForward'] : []),
        'convBackpropInput',
        'convBackpropFilter',
      ],
    );
  });

  it('fused conv2d with bias + relu (the path Keras conv layers take)', async () => {
    await expectParity(
      (xt, ft, bt) => {
        const conv = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Tensor4D =>
          tf.fused.conv2d({
            x: a as tf.Tensor4D,
            filter: b as tf.Tensor4D,
            bias: c,
            strides: 1,
            pad: 'same',
            activation: 'relu',
          });
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => weightedSum(conv(a, b, c)))([xt, ft, bt]);
        return [conv(xt, ft, bt), ...grads];
      },
      [randomHost([2, 9, 9, 4], 3), randomHost([3, 3, 4, 8], 4), randomHost([8], 5)],
      1e-4,
      ['convForward', 'convBackpropInput', 'convBackpropFilter'],
    );
  });

  it('fused conv2d without activation, stride 2 (BN follows it in Keras models)', async () => {
    await expectParity(
      (xt, ft) => {
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          weightedSum(
            tf.fused.conv2d({
              x: a as tf.Tensor4D,
              filter: b as tf.Tensor4D,
              strides: 2,
              pad: 'same',
            }),
          ),
        )([xt, ft]);
        return [dx, df];
      },
      [randomHost([2, 7, 7, 4], 6), randomHost([3, 3, 4, 5], 7)],
    );
  });
});

describe('the wasm kernels free every intermediate', () => {
  it.each([
    [
      'Conv2DBackpropFilter',
      { x: [2, 9, 9, 3], dy: [2, 4, 4, 4] },
      { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
    ],
    [
      'Conv2DBackpropInput',
      { dy: [2, 5, 5, 4], filter: [3, 3, 3, 4] },
      { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 9, 9, 3] },
    ],
    [
      'DepthwiseConv2dNativeBackpropFilter',
      { x: [2, 9, 9, 3], dy: [2, 9, 9, 6] },
      { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 3, 2] },
    ],
    [
      'DepthwiseConv2dNativeBackpropInput',
      { dy: [2, 5, 5, 6], filter: [3, 3, 3, 2] },
      { strides: 2, pad: 'same', dilations: 1, inputShape: [2, 9, 9, 3] },
    ],
    ['BatchMatMul', { a: [7, 5], b: [4, 7] }, { transposeA: true, transposeB: true }],
    ['Tile', { x: [1, 1, 3] }, { reps: [4, 5, 1] }],
  ] as const)('%s', async (name, shapes, attrs) => {
    await tf.setBackend('wasm');
    const inputs = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, tf.ones([...s])]));
    const before = tf.backend().numDataIds();
    const out = tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    expect(tf.backend().numDataIds()).toBe(before + 1);
    tf.dispose([out, ...Object.values(inputs)]);
  });
});

describe('Conv2DBackpropFilter kernel with dilation (tfjs gradients refuse it; the kernel supports it)', () => {
  const run = (x: tf.Tensor, dy: tf.Tensor, filterShape: number[], attrs: Record<string, unknown>): tf.Tensor =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      dataFormat: 'NHWC',
      filterShape,
      ...attrs,
    } as tf.NamedAttrMap) as tf.Tensor;

  it.each([
    ['same', 9],
    ['valid', 9],
    ['same', 8],
  ] as const)('dilation 2, pad %s, %i-pixel square input', async (pad, size) => {
    // A 3×3 filter dilated by 2 is the 5×5 filter with zeros between taps: its gradient is the
    // 5×5 gradient (cpu, undilated) at the even taps.
    const dyShape = pad === 'same' ? [2, size, size, 4] : [2, size - 4, size - 4, 4];
    await expectParity(
      (xt, dyt) => {
        if (tf.getBackend() === 'wasm') return [run(xt, dyt, [3, 3, 3, 4], { strides: 1, pad, dilations: 2 })];
        const full = run(xt, dyt, [5, 5, 3, 4], { strides: 1, pad });
        return [tf.stridedSlice(full, [0, 0, 0, 0], [5, 5, 3, 4], [2, 2, 1, 1])];
      },
      [randomHost([2, size, size, 3], 8), randomHost(dyShape, 9)],
    );
  });

  it('rejects stride > 1 together with dilation > 1, naming both', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 9, 9, 1]);
    const dy = tf.zeros([1, 5, 5, 1]);
    expect(() => run(x, dy, [3, 3, 1, 1], { strides: 2, pad: 'same', dilations: 2 })).toThrow(
      /strides \[2, 2\] and dilations \[2, 2\]/,
    );
    tf.dispose([x, dy]);
  });
});

describe('relu and training-mode batch norm on wasm match cpu', () => {
  it('relu gradient, 65,536 elements (two native threads)', async () => {
    await expectParity(
      (xt) => {
        const [dx] = tf.grads((a: tf.Tensor) => weightedSum(tf.relu(a)))([xt]);
        return [tf.relu(xt), dx];
      },
      [randomHost([4, 32, 32, 16], 8)],
      1e-4,
      ['reluGrad'],
    );
  });

  it('batch norm in training mode: output and input gradient, [8,16,16,64]', async () => {
    await expectParity(
      (xt) => {
        // A fresh layer per backend: gamma 1, beta 0, so both sides start alike; the shift tests the mean.
        const shifted = tf.add(tf.mul(xt, 3), 5);
        const f = (a: tf.Tensor): tf.Tensor =>
          batchNormalization({ epsilon: 1e-3 }).apply(a, { training: true }) as tf.Tensor;
        const [dx] = tf.grads((a: tf.Tensor) => weightedSum(f(a)))([shifted]);
        return [f(shifted), dx];
      },
      [randomHost([8, 16, 16, 64], 9)],
      1e-4,
      ['batchNormTrain', 'batchNormGrad'],
    );
  });
});

describe('Identity on wasm', () => {
  it('shares the buffer: no new data, and the clone outlives its source', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor([1, 2, 3]);
    const before = tf.backend().numDataIds();
    const b = tf.clone(a);
    expect(tf.backend().numDataIds()).toBe(before);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.backend().numDataIds()).toBe(before - 1);
  });
});
