/**
 * Correctness fix for the stock wasm forward convolutions. With pad 'same' tfjs passes XNNPACK its
 * TensorFlow-SAME flag, and XNNPACK then returns garbage whenever one axis needs *negative* total
 * padding (stride 2, kernel 1 along an even-sized axis, e.g. 8×9 input, 1×3 kernel: measured here).
 * Handing over the explicit pads that tfjs itself computes (clamped at 0) avoids that code path.
 */
import type * as tf from '@tensorflow/tfjs';
import { convGeometry, type Pad } from './conv-geometry.js';
import type { Info } from './wasm-ops.js';

interface ConvAttrs {
  strides: number | number[];
  dilations?: number | number[];
  pad: Pad;
}

function explicitSame(x: Info, filter: Info, attrs: ConvAttrs, depthwise: boolean): number[][] {
  const g = convGeometry('Conv2D', x.shape, filter.shape, attrs.strides, attrs.dilations, 'same', undefined, depthwise);
  const totalH = Math.max(0, (g.outH - 1) * g.stride[0] + (g.kh - 1) * g.dilation[0] + 1 - g.inH);
  const totalW = Math.max(0, (g.outW - 1) * g.stride[1] + (g.kw - 1) * g.dilation[1] + 1 - g.inW);
  return [
    [0, 0],
    [g.padTop, totalH - g.padTop],
    [g.padLeft, totalW - g.padLeft],
    [0, 0],
  ];
}

export function wrapSamePadding(depthwise: boolean): (stock: tf.KernelFunc) => tf.KernelFunc {
  return (stock) => (args) => {
    const attrs = args.attrs as unknown as ConvAttrs | undefined;
    if (attrs === undefined || attrs.pad !== 'same') return stock(args);
    const { x, filter } = args.inputs as { x: Info; filter: Info };
    const pad = explicitSame(x, filter, attrs, depthwise);
    return stock({ ...args, attrs: { ...args.attrs, pad } });
  };
}
