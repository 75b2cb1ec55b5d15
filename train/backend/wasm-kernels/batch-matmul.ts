/**
 * BatchMatMul with a transposed operand is several times slower in wasm than transposing the
 * operand explicitly and running a plain matmul (measured: [64,3136]ᵀ·[64,128] 24 ms vs 7 ms).
 * Dense-layer gradients hit exactly those cases, so the transposes are made explicit here.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { free, transpose, type Info } from './wasm-ops.js';

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function wrapBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean } | undefined;
    const { a, b } = args.inputs as { a: Info; b: Info };
    if (!(attrs?.transposeA || attrs?.transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const backend = args.backend as BackendWasm;
    const aa = attrs.transposeA ? transpose(backend, a, swapLastTwo(a.shape.length)) : a;
    const bb = attrs.transposeB ? transpose(backend, b, swapLastTwo(b.shape.length)) : b;
    try {
      return stock({
        ...args,
        inputs: { a: aa, b: bb },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (aa !== a) free(backend, aa);
      if (bb !== b) free(backend, bb);
    }
  };
}
