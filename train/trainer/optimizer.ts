import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../config.js';
import { FusedAdamOptimizer } from './fused-adam.js';

/**
 * tfjs optimizers fix their learning rate at construction, so a schedule change builds a new optimizer
 * and hands it the old one's slots (Adam's moments and step count, SGD's momentum) by name.
 */
export function createOptimizer(spec: OptimizerSpec, lr: number): tf.Optimizer {
  return spec.kind === 'adam'
    ? new FusedAdamOptimizer(lr, spec.beta1, spec.beta2, spec.epsilon)
    : tf.train.momentum(lr, spec.momentum);
}

export async function withLearningRate(old: tf.Optimizer, spec: OptimizerSpec, lr: number): Promise<tf.Optimizer> {
  const next = createOptimizer(spec, lr);
  const slots = await old.getWeights();
  if (slots.length > 0) await next.setWeights(slots);
  old.dispose();
  return next;
}
