/**
 * DepthwiseConv2dNativeBackpropInput for wasm (missing from tfjs-backend-wasm).
 *
 * dx is a stride-1 depthwise conv of dy (zero-upsampled by the stride) with the 180°-rotated
 * filter, one channel per (c, k) pair, followed by a sum over the multiplier k.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, type Pad, type Rounding } from './conv-geometry.js';
import { inputGradSource } from './input-grad-source.js';
import { depthwiseConv2d, free, reshape, reverse, sum, type Info } from './wasm-ops.js';

interface Attrs {
  strides: number | number[];
  dilations?: number | number[];
  pad: Pad;
  dimRoundingMode?: Rounding;
  inputShape: number[];
}

export function depthwiseBackpropInputWasm(dy: Info, filter: Info, attrs: Attrs, backend: BackendWasm): Info {
  const g = convGeometry(
    'DepthwiseConv2dNativeBackpropInput',
    attrs.inputShape,
    filter.shape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const [kh, kw, c, m] = filter.shape;
  const cropped = inputGradSource(backend, dy, g);
  const flipped = reverse(backend, filter, [0, 1]);
  const perChannel = reshape(backend, flipped, [kh, kw, c * m, 1]);
  free(backend, flipped);
  const dxAll = depthwiseConv2d(backend, cropped.x, perChannel, {
    strides: [1, 1],
    dilations: g.dilation,
    rows: cropped.rows,
    cols: cropped.cols,
  });
  free(backend, perChannel);
  if (cropped.owned) free(backend, cropped.x);
  if (m === 1) return dxAll;
  const split = reshape(backend, dxAll, [g.batch, g.inH, g.inW, c, m]);
  const dx = sum(backend, split, [4]);
  free(backend, dxAll, split);
  return dx;
}

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    return depthwiseBackpropInputWasm(dy, filter, attrs as unknown as Attrs, backend as BackendWasm);
  },
};
