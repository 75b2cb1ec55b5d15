/**
 * MaxPoolGrad for wasm, replacing the stock kernel, which routes gradients to the wrong inputs once the
 * tensor has several channels or images (measured here against the cpu backend: max |Δ| ≈ 1.7 on a
 * [2,8,8,4] 2×2/2 pool, ≈ 2 on a 5×5 'same' pool; a single-channel, single-image pool happens to agree).
 * This one follows the cpu kernel exactly: the first strict maximum of each window (padding never wins)
 * receives that window's dy, summed where windows overlap. It reads and writes the wasm heap in place;
 * for model M's pools it is a few milliseconds per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Info } from './wasm-ops.js';
import { activeNative } from '../native/active.js';
import { f32 } from '../native/heap.js';

interface PoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGradWasm(dy: Info, input: Info, attrs: PoolGradAttrs, backend: BackendWasm): Info {
  const c = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, 'float32');
  const native = activeNative();
  if (native !== null) {
    // Same rule in C++ (train/backend/native/src/pool.h), threads over images.
    native.maxPoolGrad(
      f32(backend, dy, 'dy'),
      f32(backend, input, 'x'),
      f32(backend, dx, 'dx'),
      Int32Array.from([
        c.batchSize,
        c.inHeight,
        c.inWidth,
        c.inChannels,
        c.outHeight,
        c.outWidth,
        c.inChannels,
        c.filterHeight,
        c.filterWidth,
        c.strideHeight,
        c.strideWidth,
        c.dilationHeight,
        c.dilationWidth,
        c.padInfo.top,
        c.padInfo.left,
      ]),
    );
    return dx;
  }
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth, strideHeight, strideWidth } = c;
  const { dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth } = c;
  const rowStride = inWidth * ch;
  const imageStride = inHeight * rowStride;
  if (
    effectiveFilterHeight === 2 &&
    effectiveFilterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    c.padInfo.top === 0 &&
    c.padInfo.left === 0
  ) {
    pool2x2Grad(x, g, out, batchSize, inHeight, inWidth, ch, outHeight, outWidth);
    return dx;
  }
  // Channels innermost: every read walks contiguous memory, and the window scan is shared by all channels.
  const best = new Float32Array(ch);
  const at = new Int32Array(ch);
  let gi = 0;
  for (let b = 0; b < batchSize; b++) {
    const base = b * imageStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - c.padInfo.top;
      const yStart = y0 < 0 ? y0 + Math.ceil(-y0 / dilationHeight) * dilationHeight : y0;
      const yEnd = Math.min(inHeight, y0 + effectiveFilterHeight);
      for (let ox = 0; ox < outWidth; ox++, gi += ch) {
        const x0 = ox * strideWidth - c.padInfo.left;
        const xStart = x0 < 0 ? x0 + Math.ceil(-x0 / dilationWidth) * dilationWidth : x0;
        const xEnd = Math.min(inWidth, x0 + effectiveFilterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let y = yStart; y < yEnd; y += dilationHeight) {
          for (let xx = xStart; xx < xEnd; xx += dilationWidth) {
            const p = base + y * rowStride + xx * ch;
            for (let d = 0; d < ch; d++) {
              const v = x[p + d];
              if (v > best[d]) {
                best[d] = v;
                at[d] = p + d;
              }
            }
          }
        }
        for (let d = 0; d < ch; d++) if (at[d] >= 0) out[at[d]] += g[gi + d];
      }
    }
  }
  return dx;
}

/**
 * The 2×2/2 pool every preset uses, unrolled: the general loop's per-window bookkeeping costs more than the
 * four comparisons. Same rule (first strict maximum in row-major window order); a window cut by the bottom or
 * right edge ('same' on an odd size) just skips its missing cells.
 */
function pool2x2Grad(
  x: Float32Array,
  g: Float32Array,
  out: Float32Array,
  n: number,
  h: number,
  w: number,
  ch: number,
  oh: number,
  ow: number,
): void {
  const row = w * ch;
  let gi = 0;
  for (let b = 0; b < n; b++) {
    const base = b * h * row;
    for (let oy = 0; oy < oh; oy++) {
      const hasBelow = 2 * oy + 1 < h;
      for (let ox = 0; ox < ow; ox++, gi += ch) {
        const p00 = base + 2 * oy * row + 2 * ox * ch;
        const hasRight = 2 * ox + 1 < w;
        const p01 = p00 + ch;
        const p10 = p00 + row;
        const p11 = p10 + ch;
        for (let d = 0; d < ch; d++) {
          // Starts below every number, as the cpu kernel does: a NaN never wins, an all-NaN window routes nothing.
          let at = -1;
          let best = Number.NEGATIVE_INFINITY;
          if (x[p00 + d] > best) {
            at = p00 + d;
            best = x[at];
          }
          if (hasRight && x[p01 + d] > best) {
            at = p01 + d;
            best = x[at];
          }
          if (hasBelow) {
            if (x[p10 + d] > best) {
              at = p10 + d;
              best = x[at];
            }
            if (hasRight && x[p11 + d] > best) at = p11 + d;
          }
          if (at >= 0) out[at] += g[gi + d];
        }
      }
    }
  }
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: Info; input: Info };
    return maxPoolGradWasm(dy, input, attrs as unknown as PoolGradAttrs, backend as BackendWasm);
  },
};
