/**
 * Faster Conv2DBackpropInput for wasm. The stock kernel is a scalar C++ loop (≈10× slower than
 * Conv2D on this machine); dx is exactly a forward stride-1 conv of dy (zero-upsampled by the
 * stride) with the 180°-rotated, in/out-swapped filter, which XNNPACK runs at full speed. The
 * upsampling multiplies the work by s², so it pays up to stride 3 (measured, 5×5 kernel: s2 3×,
 * s3 1.4×, s4 even); larger strides keep the stock kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, type Pad, type Rounding } from './conv-geometry.js';
import { inputGradSource } from './input-grad-source.js';
import { conv2d, free, reverse, transpose, type Info } from './wasm-ops.js';

interface Attrs {
  strides: number | number[];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: Rounding;
  inputShape: number[];
}

const MAX_STRIDE = 3;

/** Returns undefined when the case is left to the stock kernel. */
export function conv2DBackpropInputViaConv(
  dy: Info,
  filter: Info,
  attrs: Attrs,
  backend: BackendWasm,
): Info | undefined {
  if (attrs.dataFormat === 'NCHW') return undefined;
  const g = convGeometry(
    'Conv2DBackpropInput',
    attrs.inputShape,
    filter.shape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
  );
  if (Math.max(...g.stride) > MAX_STRIDE) return undefined;
  const cropped = inputGradSource(backend, dy, g);
  const flipped = reverse(backend, filter, [0, 1]);
  const swapped = transpose(backend, flipped, [0, 1, 3, 2]);
  free(backend, flipped);
  const dx = conv2d(backend, cropped.x, swapped, {
    strides: [1, 1],
    dilations: [1, 1],
    rows: cropped.rows,
    cols: cropped.cols,
  });
  free(backend, swapped);
  if (cropped.owned) free(backend, cropped.x);
  return dx;
}

export function wrapConv2DBackpropInput(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const fast = conv2DBackpropInputViaConv(dy, filter, args.attrs as unknown as Attrs, args.backend as BackendWasm);
    return fast ?? stock(args);
  };
}
