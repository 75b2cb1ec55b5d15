import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './fast-batch-norm.js';
import type { ActivationName, ActivityPenalty, SeOptions } from './spec.js';

type Sym = tf.SymbolicTensor;

/**
 * conv → [BN] → activation, each its own named layer so probes and exporters can tap `name`, `name_bn`,
 * `name_<act>`. Without BN the activation is fused into the conv (one node, as Keras users write it).
 */
export function convBlock(
  x: Sym,
  name: string,
  filters: number,
  opts: {
    kernel?: number | [number, number];
    strides?: number;
    batchNorm?: boolean;
    activation?: ActivationName | 'linear';
    padding?: 'same' | 'valid';
  } = {},
): Sym {
  const activation = opts.activation ?? 'relu';
  const conv = tf.layers
    .conv2d({
      name,
      filters,
      kernelSize: opts.kernel ?? 3,
      strides: opts.strides ?? 1,
      padding: opts.padding ?? 'same',
      useBias: !opts.batchNorm,
      activation: opts.batchNorm ? 'linear' : activation,
      kernelInitializer: 'heNormal',
    })
    .apply(x) as Sym;
  if (!opts.batchNorm) return conv;
  const bn = batchNormalization({ name: `${name}_bn`, momentum: 0.9, epsilon: 1e-3 }).apply(conv) as Sym;
  if (activation === 'linear') return bn;
  return tf.layers.activation({ name: `${name}_${activation}`, activation }).apply(bn) as Sym;
}

/**
 * Squeeze-and-excitation: GAP → dense(C/ratio, relu) → dense(C, sigmoid) → reshape → multiply.
 * Returns the gated tensor and, when asked, the near-1 penalty on the sigmoid gates.
 */
export function seBlock(x: Sym, name: string, se: SeOptions): { output: Sym; penalties: ActivityPenalty[] } {
  const channels = x.shape[x.shape.length - 1] as number;
  const squeezeUnits = Math.max(1, Math.floor(channels / se.ratio));
  const pooled = tf.layers.globalAveragePooling2d({ name: `${name}_pool` }).apply(x) as Sym;
  const squeeze = tf.layers
    .dense({
      name: `${name}_squeeze`,
      units: squeezeUnits,
      activation: 'relu',
      // The seed's "1-plus" initializer is ones + N(0, scale): a normal with mean 1, serializable as is.
      kernelInitializer: se.onePlusScale
        ? tf.initializers.randomNormal({ mean: 1, stddev: se.onePlusScale })
        : 'heNormal',
    })
    .apply(pooled) as Sym;
  const excite = tf.layers
    .dense({ name: `${name}_excite`, units: channels, activation: 'sigmoid' })
    .apply(squeeze) as Sym;
  const gates = tf.layers.reshape({ name: `${name}_reshape`, targetShape: [1, 1, channels] }).apply(excite) as Sym;
  const output = tf.layers.multiply({ name: `${name}_scale` }).apply([x, gates]) as Sym;
  const penalties: ActivityPenalty[] =
    se.nearOneWeight > 0 ? [{ layer: `${name}_excite`, kind: 'near-one', weight: se.nearOneWeight }] : [];
  return { output, penalties };
}

export function maxPool(x: Sym, name: string, pool = 2, strides = pool, padding: 'same' | 'valid' = 'same'): Sym {
  return tf.layers.maxPooling2d({ name, poolSize: pool, strides, padding }).apply(x) as Sym;
}

export function classifierHead(x: Sym, classes: number, name = 'classifier'): Sym {
  return tf.layers.dense({ name, units: classes, activation: 'softmax' }).apply(x) as Sym;
}
