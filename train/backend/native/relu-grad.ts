/**
 * ReLU's gradient in one native pass (dy · step(x)) instead of tfjs' Step + Cast + Multiply, each a full-size
 * wasm pass. The gradient config replaces tfjs' for every backend, so it keeps tfjs' formula wherever the
 * native kernel is not active.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activeNative } from './active.js';
import { f32 } from './heap.js';

export const RELU_GRAD = 'ActprobeReluGrad';

export const reluGradKernelConfig: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const native = activeNative();
    if (native === null) throw new Error(`${RELU_GRAD} needs the native kernels, which are not active`);
    const b = backend as BackendWasm;
    const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const dx = b.makeOutput(x.shape, 'float32');
    native.reluGrad(f32(b, dy, 'dy'), f32(b, x, 'x'), f32(b, dx, 'dx'));
    return dx;
  },
};

export const reluGradient: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    const native =
      activeNative() !== null &&
      x.dtype === 'float32' &&
      g.dtype === 'float32' &&
      tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined;
    return {
      x: () =>
        native
          ? (tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as tf.Tensor)
          : tf.mul(g, tf.cast(tf.step(x), 'float32')),
    };
  },
};
