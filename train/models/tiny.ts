import * as tf from '@tensorflow/tfjs';
import type { BuiltModel, InputSpec } from './spec.js';
import { scaled } from './spec.js';
import { classifierHead, convBlock, maxPool } from './blocks.js';

/** Two convs and a head: the smallest net that exercises conv, pool, GAP and dense (tests). */
export function buildTiny(input: InputSpec, opts: { width: number }): BuiltModel {
  const x = tf.input({ name: 'input', shape: [input.height, input.width, input.channels] });
  let h = convBlock(x, 'conv1', scaled(8, opts.width));
  h = maxPool(h, 'pool1');
  h = convBlock(h, 'conv2', scaled(16, opts.width));
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
  const out = classifierHead(h, input.classes);
  return { model: tf.model({ name: 'tiny', inputs: x, outputs: out }), penalties: [] };
}
