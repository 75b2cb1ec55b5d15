/**
 * Training-mode batch norm as two native kernels instead of tfjs' moments + batchNorm graph, whose gradient
 * alone is ~20 full-size broadcasting ops per layer:
 *   ActprobeBatchNormTrain  (x[…, C], gamma[C], beta[C]; epsilon) → [y, mean, variance]  (biased variance, as Keras)
 *   ActprobeBatchNormGrad   (dy, x, mean, variance, gamma; epsilon) → [dx, dgamma, dbeta]
 * Only the wasm backend gets them (fast-batch-norm.ts asks `batchNormKernelsReady()` before using them).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activeNative } from './active.js';
import { f32 } from './heap.js';

export const BATCH_NORM_TRAIN = 'ActprobeBatchNormTrain';
export const BATCH_NORM_GRAD = 'ActprobeBatchNormGrad';

type Info = tf.TensorInfo;

function rowsAndChannels(x: Info): [number, number] {
  const channels = x.shape[x.shape.length - 1];
  return [x.shape.reduce((a, b) => a * b, 1) / channels, channels];
}

function nativeOrThrow(kernel: string) {
  const native = activeNative();
  if (native === null)
    throw new Error(`${kernel} needs the native kernels, which are not active (check batchNormKernelsReady() first)`);
  return native;
}

export const batchNormTrainConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAIN,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const native = nativeOrThrow(BATCH_NORM_TRAIN);
    const b = backend as BackendWasm;
    const { x, gamma, beta } = inputs as { x: Info; gamma: Info; beta: Info };
    const [rows, channels] = rowsAndChannels(x);
    const y = b.makeOutput(x.shape, 'float32');
    const mean = b.makeOutput([channels], 'float32');
    const variance = b.makeOutput([channels], 'float32');
    native.batchNormTrain(
      f32(b, x, 'x'),
      f32(b, gamma, 'gamma'),
      f32(b, beta, 'beta'),
      (attrs as { epsilon: number }).epsilon,
      f32(b, y, 'y'),
      f32(b, mean, 'mean'),
      f32(b, variance, 'variance'),
      rows,
      channels,
    );
    return [y, mean, variance];
  },
};

export const batchNormGradConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const native = nativeOrThrow(BATCH_NORM_GRAD);
    const b = backend as BackendWasm;
    const { dy, x, mean, variance, gamma } = inputs as { dy: Info; x: Info; mean: Info; variance: Info; gamma: Info };
    const [rows, channels] = rowsAndChannels(x);
    const dx = b.makeOutput(x.shape, 'float32');
    const dgamma = b.makeOutput([channels], 'float32');
    const dbeta = b.makeOutput([channels], 'float32');
    native.batchNormGrad(
      f32(b, dy, 'dy'),
      f32(b, x, 'x'),
      f32(b, mean, 'mean'),
      f32(b, variance, 'variance'),
      f32(b, gamma, 'gamma'),
      (attrs as { epsilon: number }).epsilon,
      f32(b, dx, 'dx'),
      f32(b, dgamma, 'dgamma'),
      f32(b, dbeta, 'dbeta'),
      rows,
      channels,
    );
    return [dx, dgamma, dbeta];
  },
};

export const batchNormTrainGradient: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [x, gamma, mean, variance] = saved;
    const [dx, dgamma, dbeta] = tf
      .engine()
      .runKernel(BATCH_NORM_GRAD, { dy, x, mean, variance, gamma }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};

/** True when the fused training kernels can run on the current backend right now. */
export function batchNormKernelsReady(): boolean {
  return activeNative() !== null && tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

/** y, batch mean and batch variance of x over every axis but the last, differentiable in x, gamma and beta. */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return [y, mean, variance];
}
