import * as tf from '@tensorflow/tfjs';
import type { BuiltModel, InputSpec } from './spec.js';
import { scaled } from './spec.js';
import { classifierHead, convBlock } from './blocks.js';

type Sym = tf.SymbolicTensor;

/** A small ResNet: stem, then per stage one basic block (two 3×3 conv+BN, projection shortcut when needed). */
export function buildResnetMini(input: InputSpec, o: { width: number; stages: number }): BuiltModel {
  const x = tf.input({ name: 'input', shape: [input.height, input.width, input.channels] });
  let h = convBlock(x, 'stem', scaled(16, o.width), { batchNorm: true });
  for (let s = 1; s <= o.stages; s++) {
    const filters = scaled(16 * 2 ** (s - 1), o.width);
    const strides = s === 1 ? 1 : 2;
    const name = `stage${s}`;
    let r = convBlock(h, `${name}_conv1`, filters, { strides, batchNorm: true });
    r = convBlock(r, `${name}_conv2`, filters, { batchNorm: true, activation: 'linear' });
    const inChannels = h.shape[3] as number;
    const shortcut =
      strides === 1 && inChannels === filters
        ? h
        : convBlock(h, `${name}_proj`, filters, { kernel: 1, strides, batchNorm: true, activation: 'linear' });
    h = tf.layers.add({ name: `${name}_add` }).apply([shortcut, r]) as Sym;
    h = tf.layers.activation({ name: `${name}_relu`, activation: 'relu' }).apply(h) as Sym;
  }
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as Sym;
  const out = classifierHead(h, input.classes);
  return { model: tf.model({ name: 'resnet_mini', inputs: x, outputs: out }), penalties: [] };
}
