import * as tf from '@tensorflow/tfjs';
import { LocalResponseNormalization } from '../../train/models/index.js';

type Sym = tf.SymbolicTensor;

/** One emitter case: a small graph on a given input, the ONNX ops it must produce and the layers it must drop. */
export interface EmitterCase {
  name: string;
  input: [number, number, number];
  body: (x: Sym) => Sym;
  ops: string[];
  dropped?: string[];
}

const conv = (x: Sym, name: string, filters = 4, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}): Sym =>
  tf.layers.conv2d({ name, filters, kernelSize: 3, padding: 'same', ...extra }).apply(x) as Sym;
const apply = (layer: tf.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

const activations = [
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
] as const;
const activationOps: Record<(typeof activations)[number], string> = {
  relu: 'Relu',
  relu6: 'Clip',
  elu: 'Elu',
  selu: 'Selu',
  sigmoid: 'Sigmoid',
  hardSigmoid: 'HardSigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
  softplus: 'Softplus',
  softsign: 'Softsign',
  swish: 'Sigmoid',
  mish: 'Softplus',
  gelu: 'Erf',
};

export const emitterCases: EmitterCase[] = [
  {
    name: 'Conv2D same, stride 2, odd 9×7 input, non-square 3×2 kernel, bias, relu',
    input: [9, 7, 2],
    body: (x) => conv(x, 'c', 4, { kernelSize: [3, 2], strides: 2, activation: 'relu' }),
    ops: ['Conv', 'Relu'],
  },
  {
    name: 'Conv2D same, stride 2, even 8×8 input (asymmetric pads)',
    input: [8, 8, 1],
    body: (x) => conv(x, 'c', 3, { strides: 2 }),
    ops: ['Conv'],
  },
  {
    name: 'Conv2D valid, dilation 2, 1×3 kernel, no bias, elu',
    input: [7, 9, 2],
    body: (x) =>
      conv(x, 'c', 3, { kernelSize: [1, 3], padding: 'valid', dilationRate: 2, useBias: false, activation: 'elu' }),
    ops: ['Conv', 'Elu'],
  },
  {
    name: 'Conv2D strides [2, 1], 5×5 kernel, same on 11×6',
    input: [11, 6, 3],
    body: (x) => conv(x, 'c', 2, { kernelSize: 5, strides: [2, 1] }),
    ops: ['Conv'],
  },
  {
    name: 'DepthwiseConv2D multiplier 2, same, stride 2, relu',
    input: [9, 9, 3],
    body: (x) =>
      apply(
        tf.layers.depthwiseConv2d({
          name: 'dw',
          kernelSize: 3,
          depthMultiplier: 2,
          strides: 2,
          padding: 'same',
          activation: 'relu',
        }),
        x,
      ),
    ops: ['Conv', 'Relu'],
  },
  {
    name: 'Flatten after conv, then Dense (NHWC element order)',
    input: [5, 6, 2],
    body: (x) =>
      apply(
        tf.layers.dense({ name: 'fc', units: 6, activation: 'relu' }),
        apply(tf.layers.flatten({ name: 'flat' }), conv(x, 'c', 3, { padding: 'valid' })),
      ),
    ops: ['Transpose', 'Flatten', 'Gemm', 'Relu'],
  },
  {
    name: 'Dense on a 4-D input (1×1 Conv)',
    input: [4, 5, 3],
    body: (x) => apply(tf.layers.dense({ name: 'fc4d', units: 5, activation: 'tanh' }), conv(x, 'c')),
    ops: ['Conv', 'Conv', 'Tanh'],
  },
  {
    name: 'Dense on a 3-D input after Reshape, no bias',
    input: [4, 4, 2],
    body: (x) =>
      apply(
        tf.layers.dense({ name: 'fc3d', units: 3, useBias: false }),
        apply(tf.layers.reshape({ name: 'r', targetShape: [16, 4] }), conv(x, 'c')),
      ),
    ops: ['Transpose', 'Reshape', 'MatMul'],
  },
  {
    name: 'BatchNormalization with moving statistics and epsilon 1e-2',
    input: [6, 6, 3],
    body: (x) => apply(tf.layers.batchNormalization({ name: 'bn', epsilon: 1e-2 }), conv(x, 'c')),
    ops: ['BatchNormalization'],
  },
  {
    name: 'BatchNormalization without center and scale',
    input: [6, 6, 3],
    body: (x) => apply(tf.layers.batchNormalization({ name: 'bn', center: false, scale: false }), conv(x, 'c')),
    ops: ['BatchNormalization'],
  },
  {
    name: 'BatchNormalization on a 2-D input',
    input: [4, 4, 3],
    body: (x) =>
      apply(
        tf.layers.batchNormalization({ name: 'bn' }),
        apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), conv(x, 'c')),
      ),
    ops: ['ReduceMean', 'BatchNormalization'],
  },
  ...activations.map(
    (a): EmitterCase => ({
      name: `Activation ${a}`,
      input: [5, 5, 2],
      body: (x) => apply(tf.layers.activation({ name: `act_${a}`, activation: a }), conv(x, 'c')),
      ops: [activationOps[a]],
    }),
  ),
  {
    name: 'Activation linear (dropped)',
    input: [4, 4, 1],
    body: (x) => apply(tf.layers.activation({ name: 'lin', activation: 'linear' }), conv(x, 'c')),
    ops: ['Conv'],
    dropped: ['lin'],
  },
  {
    name: 'ReLU layer with max_value (Clip)',
    input: [5, 5, 2],
    body: (x) => apply(tf.layers.reLU({ name: 'capped', maxValue: 0.5 }), conv(x, 'c')),
    ops: ['Clip'],
  },
  { name: 'ELU layer', input: [5, 5, 2], body: (x) => apply(tf.layers.elu({ name: 'e' }), conv(x, 'c')), ops: ['Elu'] },
  {
    name: 'LeakyReLU layer alpha 0.2',
    input: [5, 5, 2],
    body: (x) => apply(tf.layers.leakyReLU({ name: 'lr', alpha: 0.2 }), conv(x, 'c')),
    ops: ['LeakyRelu'],
  },
  {
    name: 'Softmax layer on a 2-D input',
    input: [4, 4, 2],
    body: (x) =>
      apply(tf.layers.softmax({ name: 'sm' }), apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), conv(x, 'c'))),
    ops: ['Softmax'],
  },
  {
    name: 'MaxPooling2D same, pool 3 stride 2, odd 7×7',
    input: [7, 7, 2],
    body: (x) => apply(tf.layers.maxPooling2d({ name: 'p', poolSize: 3, strides: 2, padding: 'same' }), conv(x, 'c')),
    ops: ['MaxPool'],
  },
  {
    name: 'MaxPooling2D valid 2×2 on odd 7×9',
    input: [7, 9, 2],
    body: (x) => apply(tf.layers.maxPooling2d({ name: 'p', poolSize: 2, padding: 'valid' }), conv(x, 'c')),
    ops: ['MaxPool'],
  },
  {
    name: 'AveragePooling2D same, pool 3 stride 2, even 8×8 (pads not counted)',
    input: [8, 8, 2],
    body: (x) =>
      apply(tf.layers.averagePooling2d({ name: 'p', poolSize: 3, strides: 2, padding: 'same' }), conv(x, 'c')),
    ops: ['AveragePool'],
  },
  {
    name: 'AveragePooling2D valid [2, 3]',
    input: [6, 7, 2],
    body: (x) => apply(tf.layers.averagePooling2d({ name: 'p', poolSize: [2, 3], padding: 'valid' }), conv(x, 'c')),
    ops: ['AveragePool'],
  },
  {
    name: 'GlobalAveragePooling2D',
    input: [5, 6, 3],
    body: (x) => apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), conv(x, 'c')),
    ops: ['ReduceMean'],
  },
  {
    name: 'GlobalMaxPooling2D',
    input: [5, 6, 3],
    body: (x) => apply(tf.layers.globalMaxPooling2d({ name: 'gmp' }), conv(x, 'c')),
    ops: ['ReduceMax'],
  },
  {
    name: 'Reshape NHWC → [W, H·C] (transposes kept)',
    input: [3, 4, 2],
    body: (x) => apply(tf.layers.reshape({ name: 'r', targetShape: [4, 3, 4] }), conv(x, 'c')),
    ops: ['Transpose', 'Reshape', 'Transpose'],
  },
  {
    name: 'Dropout, GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D removed',
    input: [4, 4, 2],
    body: (x) => {
      let h = apply(tf.layers.dropout({ name: 'd1', rate: 0.5 }), conv(x, 'c'));
      h = apply(tf.layers.gaussianNoise({ name: 'd2', stddev: 0.3 }), h);
      h = apply(tf.layers.gaussianDropout({ name: 'd3', rate: 0.3 }), h);
      h = apply(tf.layers.flatten({ name: 'flat' }), h);
      h = apply(tf.layers.alphaDropout({ name: 'd4', rate: 0.3 }), h);
      h = apply(tf.layers.reshape({ name: 'seq', targetShape: [16, 4] }), h);
      return apply(tf.layers.spatialDropout1d({ name: 'd5', rate: 0.3 }), h);
    },
    ops: ['Conv', 'Flatten'],
    dropped: ['d1', 'd2', 'd3', 'd4', 'd5'],
  },
  {
    name: 'Add (residual)',
    input: [6, 6, 4],
    body: (x) =>
      apply(tf.layers.add({ name: 'res' }), [conv(x, 'c1'), conv(conv(x, 'c2', 4, { activation: 'relu' }), 'c3')]),
    ops: ['Add'],
  },
  {
    name: 'Add of three inputs',
    input: [4, 4, 2],
    body: (x) => apply(tf.layers.add({ name: 'sum3' }), [conv(x, 'a'), conv(x, 'b'), conv(x, 'c')]),
    ops: ['Add', 'Add'],
  },
  {
    name: 'Multiply (SE gate broadcast over H, W)',
    input: [6, 5, 4],
    body: (x) => {
      const h = conv(x, 'c', 8, { activation: 'relu' });
      const s = apply(tf.layers.globalAveragePooling2d({ name: 'se_pool' }), h);
      const e = apply(
        tf.layers.dense({ name: 'se_excite', units: 8, activation: 'sigmoid' }),
        apply(tf.layers.dense({ name: 'se_squeeze', units: 2, activation: 'relu' }), s),
      );
      return apply(tf.layers.multiply({ name: 'se_scale' }), [
        h,
        apply(tf.layers.reshape({ name: 'se_reshape', targetShape: [1, 1, 8] }), e),
      ]);
    },
    ops: ['ReduceMean', 'Gemm', 'Sigmoid', 'Reshape', 'Mul'],
  },
  {
    name: 'Concatenate channels',
    input: [5, 5, 2],
    body: (x) => apply(tf.layers.concatenate({ name: 'cat' }), [conv(x, 'a', 3), conv(x, 'b', 2)]),
    ops: ['Concat'],
  },
  {
    name: 'ZeroPadding2D asymmetric [[1, 2], [0, 1]]',
    input: [4, 5, 2],
    body: (x) =>
      apply(
        tf.layers.zeroPadding2d({
          name: 'zp',
          padding: [
            [1, 2],
            [0, 1],
          ],
        }),
        conv(x, 'c'),
      ),
    ops: ['Pad'],
  },
  {
    name: 'LocalResponseNormalization (custom class)',
    input: [5, 5, 7],
    body: (x) =>
      apply(
        new LocalResponseNormalization({ name: 'lrn', depthRadius: 2, bias: 2, alpha: 1e-2, beta: 0.75 }),
        conv(x, 'c', 7, { activation: 'relu' }),
      ),
    ops: ['LRN'],
  },
  {
    name: 'Shared Conv2D applied twice (second node named c:1)',
    input: [6, 6, 2],
    body: (x) => {
      const shared = tf.layers.conv2d({ name: 'shared', filters: 2, kernelSize: 3, padding: 'same' });
      const pooled = apply(tf.layers.maxPooling2d({ name: 'p', poolSize: 2 }), x);
      const a = apply(tf.layers.globalAveragePooling2d({ name: 'gap_a' }), apply(shared, x));
      const b = apply(tf.layers.globalAveragePooling2d({ name: 'gap_b' }), apply(shared, pooled));
      return apply(tf.layers.concatenate({ name: 'cat' }), [a, b]);
    },
    ops: ['Conv', 'Conv', 'Concat'],
  },
];
