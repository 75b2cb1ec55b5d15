import * as tf from '@tensorflow/tfjs';
import type { ActivationName, ActivityPenalty, BuiltModel, InputSpec, SeOptions } from './spec.js';
import { scaled } from './spec.js';
import { classifierHead, convBlock, maxPool, seBlock } from './blocks.js';

type Sym = tf.SymbolicTensor;

export interface SeednetOptions {
  width: number;
  batchNorm: boolean;
  activation: ActivationName;
  se: SeOptions | null;
  dropout: number;
  fcUnits: [number, number];
  stemStride: number;
}

/**
 * The seed's net, between AlexNet and ResNet: 10 convs (2 of them in a residual block), two SE blocks,
 * three FC layers with dropout. Activation, BN, SE options and width are the knobs the seed turned.
 */
export function buildSeednet(input: InputSpec, o: SeednetOptions): BuiltModel {
  const penalties: ActivityPenalty[] = [];
  const c = (n: number): number => scaled(n, o.width);
  const conv = (
    x: Sym,
    name: string,
    filters: number,
    strides = 1,
    activation: ActivationName | 'linear' = o.activation,
  ): Sym => convBlock(x, name, filters, { strides, batchNorm: o.batchNorm, activation });
  const se = (x: Sym, name: string): Sym => {
    if (!o.se) return x;
    const block = seBlock(x, name, o.se);
    penalties.push(...block.penalties);
    return block.output;
  };

  const x = tf.input({ name: 'input', shape: [input.height, input.width, input.channels] });
  let h = conv(x, 'conv1', c(32), o.stemStride);
  h = conv(h, 'conv2', c(64));
  h = maxPool(h, 'pool1');

  // Residual block: conv3a → conv3b (linear) + shortcut, then the activation.
  const shortcut = h;
  let r = conv(h, 'conv3a', c(64));
  r = conv(r, 'conv3b', c(64), 1, 'linear');
  h = tf.layers.add({ name: 'res1_add' }).apply([shortcut, r]) as Sym;
  h = tf.layers.activation({ name: `res1_${o.activation}`, activation: o.activation }).apply(h) as Sym;
  h = se(h, 'se1');
  h = maxPool(h, 'pool2');

  h = conv(h, 'conv4', c(128));
  h = conv(h, 'conv5', c(128));
  h = conv(h, 'conv6', c(128));
  h = se(h, 'se2');
  h = maxPool(h, 'pool3');

  h = conv(h, 'conv7', c(256));
  h = conv(h, 'conv8', c(256));
  h = conv(h, 'conv9', c(256));
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as Sym;

  h = tf.layers.dense({ name: 'fc1', units: o.fcUnits[0], activation: o.activation }).apply(h) as Sym;
  if (o.dropout > 0) h = tf.layers.dropout({ name: 'fc1_dropout', rate: o.dropout }).apply(h) as Sym;
  h = tf.layers.dense({ name: 'fc2', units: o.fcUnits[1], activation: o.activation }).apply(h) as Sym;
  if (o.dropout > 0) h = tf.layers.dropout({ name: 'fc2_dropout', rate: o.dropout }).apply(h) as Sym;
  const out = classifierHead(h, input.classes, 'fc3');
  return { model: tf.model({ name: 'seednet', inputs: x, outputs: out }), penalties };
}
