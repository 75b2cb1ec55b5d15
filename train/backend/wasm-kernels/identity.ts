/**
 * Identity (tf.clone, and every tensor a customGrad op such as fused conv2d saves for its gradient) on wasm
 * copies the whole buffer; a model-M step made ~100 such copies, several of 6 MB. Tensors are immutable and
 * wasm buffers ref-counted, so the clone can share the buffer, exactly as the cpu backend's Identity does.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function wrapIdentity(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return stock(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
