/**
 * Conv2D / FusedConv2D forward and both conv gradients on the native kernels (im2col + AVX2 GEMM, threads).
 * Each wraps the kernel it replaces and hands anything it does not cover (NCHW, other fused activations,
 * PReLU weights, a non-vector bias, int tensors) or any call while no native kernels are active back to it.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, type ConvGeometry, type Pad, type Rounding } from '../wasm-kernels/conv-geometry.js';
import { activeNative } from './active.js';
import { f32 } from './heap.js';

type Info = tf.TensorInfo;

/** The Int32Array layout module.cc reads: n h w cin oh ow cout kh kw sh sw dh dw padTop padLeft. */
export function convShape(g: ConvGeometry): Int32Array {
  return Int32Array.from([
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.outH,
    g.outW,
    g.outC,
    g.kh,
    g.kw,
    ...g.stride,
    ...g.dilation,
    g.padTop,
    g.padLeft,
  ]);
}

interface ForwardAttrs {
  strides: number | number[];
  pad: Pad;
  dataFormat?: string;
  dilations?: number | number[];
  dimRoundingMode?: Rounding;
  activation?: string;
}

const floats = (...infos: (Info | undefined)[]): boolean =>
  infos.every((i) => i === undefined || i.dtype === 'float32');

/**
 * Forward convs with this little work per output pixel (multiply-adds = kh·kw·Cin·Cout) stay on XNNPACK, whose
 * direct conv beat im2col + GEMM there (seednet's 3×3×1→8 stem: 0.49 vs 0.91 ms), while model M's 3×3×1→32
 * stem (288) ran 2.7 → 0.6 ms natively (train/backend/bench/conv-shapes.ts). Gradients always run natively.
 */
export const NATIVE_FORWARD_MIN_MACS_PER_PIXEL = 256;

export function wrapNativeConvForward(kernelName: string) {
  return (fallback: tf.KernelFunc): tf.KernelFunc =>
    (args) => {
      const native = activeNative();
      const { x, filter, bias, preluActivationWeights } = args.inputs as {
        x: Info;
        filter: Info;
        bias?: Info;
        preluActivationWeights?: Info;
      };
      const attrs = args.attrs as unknown as ForwardAttrs;
      const activation = attrs.activation ?? 'linear';
      const outC = filter.shape[3];
      const patch = filter.shape[0] * filter.shape[1] * filter.shape[2];
      const usable =
        native !== null &&
        patch * outC >= NATIVE_FORWARD_MIN_MACS_PER_PIXEL &&
        attrs.dataFormat !== 'NCHW' &&
        preluActivationWeights === undefined &&
        (activation === 'linear' || activation === 'relu') &&
        (bias === undefined || bias.shape.reduce((a, b) => a * b, 1) === outC) &&
        floats(x, filter, bias);
      if (!usable) return fallback(args);
      const backend = args.backend as BackendWasm;
      const g = convGeometry(
        kernelName,
        x.shape,
        filter.shape,
        attrs.strides,
        attrs.dilations,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
      );
      const out = backend.makeOutput([g.batch, g.outH, g.outW, g.outC], 'float32');
      native.convForward(
        f32(backend, x, 'x'),
        f32(backend, filter, 'filter'),
        bias === undefined ? null : f32(backend, bias, 'bias'),
        f32(backend, out, 'output'),
        convShape(g),
        activation === 'relu' ? 1 : 0,
      );
      return out;
    };
}

interface InputGradAttrs {
  inputShape: number[];
  strides: number | number[];
  pad: Pad;
  dataFormat?: string;
  dimRoundingMode?: Rounding;
  dilations?: number | number[];
}

export function wrapNativeConvBackpropInput(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const native = activeNative();
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as InputGradAttrs;
    if (native === null || attrs.dataFormat === 'NCHW' || !floats(dy, filter)) return fallback(args);
    const backend = args.backend as BackendWasm;
    const g = convGeometry(
      tf.Conv2DBackpropInput,
      attrs.inputShape,
      filter.shape,
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
    );
    const dx = backend.makeOutput([g.batch, g.inH, g.inW, g.inC], 'float32');
    native.convBackpropInput(
      f32(backend, dy, 'dy'),
      f32(backend, filter, 'filter'),
      f32(backend, dx, 'dx'),
      convShape(g),
    );
    return dx;
  };
}

interface FilterGradAttrs {
  filterShape: number[];
  strides: number | number[];
  pad: Pad;
  dataFormat?: string;
  dimRoundingMode?: Rounding;
  dilations?: number | number[];
}

export function wrapNativeConvBackpropFilter(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const native = activeNative();
    const { x, dy } = args.inputs as { x: Info; dy: Info };
    const attrs = args.attrs as unknown as FilterGradAttrs;
    if (native === null || attrs.dataFormat === 'NCHW' || !floats(x, dy)) return fallback(args);
    const backend = args.backend as BackendWasm;
    const g = convGeometry(
      tf.Conv2DBackpropFilter,
      x.shape,
      attrs.filterShape,
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
    );
    const dw = backend.makeOutput(attrs.filterShape, 'float32');
    native.convBackpropFilter(f32(backend, x, 'x'), f32(backend, dy, 'dy'), f32(backend, dw, 'dw'), convShape(g));
    return dw;
  };
}
