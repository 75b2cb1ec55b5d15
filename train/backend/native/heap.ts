/**
 * Float32 views of tfjs-wasm tensors for the native kernels. Outputs must be allocated (makeOutput) before any
 * view is taken: allocation can grow the wasm memory and leave earlier views stale.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function f32(backend: BackendWasm, info: tf.TensorInfo, what: string): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`${what} must be float32 for the native kernels, got ${info.dtype}`);
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new Error(`${what}: tfjs-wasm returned no Float32Array view`);
  return view;
}
