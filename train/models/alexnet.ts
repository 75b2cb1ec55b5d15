import * as tf from '@tensorflow/tfjs';
import type { BuiltModel, InputSpec } from './spec.js';
import { scaled } from './spec.js';
import { classifierHead, convBlock, maxPool } from './blocks.js';
import { LocalResponseNormalization } from './custom-objects.js';

type Sym = tf.SymbolicTensor;

export interface AlexnetOptions {
  width: number;
  lrn: boolean;
  dropout: number;
  stemKernel: number;
  stemStride: number;
}

/**
 * AlexNet (torchvision layout: 64-192-384-256-256 convs, 4096-4096 FC) with a width multiplier
 * (the seed's "1/16 wide" is width 0.0625) and optional LRN after conv1/conv2 as in the 2012 paper.
 * Pools are 3×3 stride 2; small inputs shrink the stem (stemKernel/stemStride) so the map never vanishes.
 */
export function buildAlexnet(input: InputSpec, o: AlexnetOptions): BuiltModel {
  const c = (n: number): number => scaled(n, o.width);
  const pool = (x: Sym, name: string): Sym => {
    const size = x.shape[1] as number;
    return maxPool(x, name, 3, 2, size >= 3 ? 'valid' : 'same');
  };
  const x = tf.input({ name: 'input', shape: [input.height, input.width, input.channels] });
  let h = convBlock(x, 'conv1', c(64), { kernel: o.stemKernel, strides: o.stemStride });
  if (o.lrn)
    h = new LocalResponseNormalization({ name: 'lrn1', depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 }).apply(
      h,
    ) as Sym;
  h = pool(h, 'pool1');
  h = convBlock(h, 'conv2', c(192), { kernel: 5 });
  if (o.lrn)
    h = new LocalResponseNormalization({ name: 'lrn2', depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 }).apply(
      h,
    ) as Sym;
  h = pool(h, 'pool2');
  h = convBlock(h, 'conv3', c(384));
  h = convBlock(h, 'conv4', c(256));
  h = convBlock(h, 'conv5', c(256));
  h = pool(h, 'pool3');
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as Sym;
  if (o.dropout > 0) h = tf.layers.dropout({ name: 'fc6_dropout', rate: o.dropout }).apply(h) as Sym;
  h = tf.layers.dense({ name: 'fc6', units: c(4096), activation: 'relu' }).apply(h) as Sym;
  if (o.dropout > 0) h = tf.layers.dropout({ name: 'fc7_dropout', rate: o.dropout }).apply(h) as Sym;
  h = tf.layers.dense({ name: 'fc7', units: c(4096), activation: 'relu' }).apply(h) as Sym;
  const out = classifierHead(h, input.classes, 'fc8');
  return { model: tf.model({ name: 'alexnet', inputs: x, outputs: out }), penalties: [] };
}
