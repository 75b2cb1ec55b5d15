/**
 * BatchMatMul (every dense layer's forward and both gradients) on the native GEMM: transposes are strides,
 * not copies, and no XNNPACK operator is created and packed per call (which dominated these small products).
 * Other dtypes or batch shapes that do not broadcast as 1-vs-n go to the wasm kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activeNative } from './active.js';
import { f32 } from './heap.js';

export function wrapNativeBatchMatMul(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const native = activeNative();
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean } | undefined;
    if (
      native === null ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      a.shape.length !== 3 ||
      b.shape.length !== 3
    )
      return fallback(args);
    const transA = attrs?.transposeA === true;
    const transB = attrs?.transposeB === true;
    const [batchA, a1, a2] = a.shape;
    const [batchB, b1, b2] = b.shape;
    const [m, k] = transA ? [a2, a1] : [a1, a2];
    const [kB, n] = transB ? [b2, b1] : [b1, b2];
    const batch = Math.max(batchA, batchB);
    if (k !== kB || (batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return fallback(args);
    const backend = args.backend as BackendWasm;
    const c = backend.makeOutput([batch, m, n], 'float32');
    native.batchMatMul(
      f32(backend, a, 'a'),
      f32(backend, b, 'b'),
      f32(backend, c, 'c'),
      batchA,
      batchB,
      m,
      n,
      k,
      transA ? 1 : 0,
      transB ? 1 : 0,
    );
    return c;
  };
}
