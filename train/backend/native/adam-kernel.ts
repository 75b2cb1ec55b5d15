/**
 * ActprobeAdamUpdate (value, gradient, m, v; beta1, beta2, epsilon, learningRate, oneMinusAccBeta1,
 * oneMinusAccBeta2) → [value', m', v']: one native pass per variable instead of tfjs Adam's ~16 kernel calls.
 * Used by train/trainer/fused-adam.ts when `adamKernelReady()`.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activeNative } from './active.js';
import { f32 } from './heap.js';

export const ADAM_UPDATE = 'ActprobeAdamUpdate';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

export const adamUpdateConfig: tf.KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const native = activeNative();
    if (native === null) throw new Error(`${ADAM_UPDATE} needs the native kernels, which are not active`);
    const b = backend as BackendWasm;
    const { value, gradient, m, v } = inputs as Record<'value' | 'gradient' | 'm' | 'v', tf.TensorInfo>;
    const a = attrs as unknown as AdamUpdateAttrs;
    const outs = [
      b.makeOutput(value.shape, 'float32'),
      b.makeOutput(value.shape, 'float32'),
      b.makeOutput(value.shape, 'float32'),
    ];
    native.adamUpdate(
      f32(b, value, 'value'),
      f32(b, gradient, 'gradient'),
      f32(b, m, 'm'),
      f32(b, v, 'v'),
      f32(b, outs[0], "value'"),
      f32(b, outs[1], "m'"),
      f32(b, outs[2], "v'"),
      a.beta1,
      a.beta2,
      a.epsilon,
      a.learningRate,
      a.oneMinusAccBeta1,
      a.oneMinusAccBeta2,
    );
    return outs;
  },
};

export function adamKernelReady(): boolean {
  return activeNative() !== null && tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
}
