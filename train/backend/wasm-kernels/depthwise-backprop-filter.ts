/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (missing from tfjs-backend-wasm).
 *
 * Per channel c and multiplier k, dW[i,j,c,k] = Σ_{n,y,x} x[n, …, c] · dy[n, y, x, c·m+k]. Making
 * every (c, n) pair its own channel of a batch-1 image turns this into one depthwise conv of
 * x' = [1, H, W, C·N] with dy' = [Ho, Wo, C·N, m] as filter (stride = forward dilation,
 * dilation = forward stride); the sum over n is a final Sum over that axis.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, filterGradPads, type Pad, type Rounding } from './conv-geometry.js';
import { cropForPads, depthwiseConv2d, free, reshape, sum, transpose, type Info } from './wasm-ops.js';

interface Attrs {
  strides: number | number[];
  dilations?: number | number[];
  pad: Pad;
  dimRoundingMode?: Rounding;
  filterShape: number[];
}

export function depthwiseBackpropFilterWasm(x: Info, dy: Info, attrs: Attrs, backend: BackendWasm): Info {
  const g = convGeometry(
    'DepthwiseConv2dNativeBackpropFilter',
    x.shape,
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const m = attrs.filterShape[3];
  const { batch: n, inC: c, outH, outW } = g;
  const pads = filterGradPads(g);
  const cropped = cropForPads(backend, x, pads.rows, pads.cols);
  const [, h, w] = cropped.x.shape;
  const xT = transpose(backend, cropped.x, [1, 2, 3, 0]);
  if (cropped.owned) free(backend, cropped.x);
  const xImg = reshape(backend, xT, [1, h, w, c * n]);
  const dy5 = reshape(backend, dy, [n, outH, outW, c, m]);
  const dyT = transpose(backend, dy5, [1, 2, 3, 0, 4]);
  const dyFilter = reshape(backend, dyT, [outH, outW, c * n, m]);
  free(backend, xT, dy5, dyT);
  const perPair = depthwiseConv2d(backend, xImg, dyFilter, {
    strides: g.dilation,
    dilations: g.stride,
    rows: cropped.rows,
    cols: cropped.cols,
  });
  free(backend, xImg, dyFilter);
  const split = reshape(backend, perPair, [g.kh, g.kw, c, n, m]);
  const dw = sum(backend, split, [3]);
  free(backend, perPair, split);
  return dw;
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: Info; dy: Info };
    return depthwiseBackpropFilterWasm(x, dy, attrs as unknown as Attrs, backend as BackendWasm);
  },
};
