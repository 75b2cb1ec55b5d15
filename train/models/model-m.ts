import * as tf from '@tensorflow/tfjs';
import type { BuiltModel, InputSpec } from './spec.js';
import { scaled } from './spec.js';
import { classifierHead, convBlock, maxPool, seBlock } from './blocks.js';

/**
 * Model M, the benchmark net (DESIGN.md): conv3×3(32)+BN+ReLU, pool, conv(64)+BN+ReLU, pool,
 * conv(128)+BN+ReLU, SE(128 → 8 → 128), GAP, dense softmax. PyTorch's twin is test/bench/pytorch_twins.py.
 */
export function buildModelM(input: InputSpec, opts: { width: number }): BuiltModel {
  const x = tf.input({ name: 'input', shape: [input.height, input.width, input.channels] });
  let h = convBlock(x, 'conv1', scaled(32, opts.width), { batchNorm: true });
  h = maxPool(h, 'pool1');
  h = convBlock(h, 'conv2', scaled(64, opts.width), { batchNorm: true });
  h = maxPool(h, 'pool2');
  h = convBlock(h, 'conv3', scaled(128, opts.width), { batchNorm: true });
  h = seBlock(h, 'se1', { ratio: 16, nearOneWeight: 0 }).output;
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
  const out = classifierHead(h, input.classes);
  return { model: tf.model({ name: 'model_m', inputs: x, outputs: out }), penalties: [] };
}
