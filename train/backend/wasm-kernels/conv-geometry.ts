/**
 * Padding arithmetic shared by the backward conv kernels. Both backward passes are rewritten as
 * forward convolutions, and the only subtle part is which rows/cols those must pad or drop.
 */
import * as tf from '@tensorflow/tfjs';
import type { Pair } from './wasm-ops.js';

export type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type Rounding = 'floor' | 'round' | 'ceil' | undefined;

export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  stride: Pair;
  dilation: Pair;
  /** Zero rows/cols the forward conv adds before the input; for 'same' TF puts the odd one after. */
  padTop: number;
  padLeft: number;
}

type Shape4 = [number, number, number, number];

export function asShape4(shape: number[], what: string): Shape4 {
  if (shape.length !== 4) throw new Error(`${what} must be rank 4, got shape [${shape.join(', ')}]`);
  return [shape[0], shape[1], shape[2], shape[3]];
}

export function pair(v: number | number[] | undefined, name: string): Pair {
  if (v === undefined) return [1, 1];
  if (typeof v === 'number') return [v, v];
  if (v.length !== 2) throw new Error(`${name} must be a number or a pair, got [${v.join(', ')}]`);
  return [v[0], v[1]];
}

export function convGeometry(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  strides: number | number[],
  dilations: number | number[] | undefined,
  pad: Pad,
  rounding: Rounding,
  depthwise: boolean,
): ConvGeometry {
  const stride = pair(strides, `${kernel} strides`);
  const dilation = pair(dilations, `${kernel} dilations`);
  if (Math.max(...stride) > 1 && Math.max(...dilation) > 1) {
    throw new Error(
      `${kernel} (wasm): strides [${stride.join(', ')}] and dilations [${dilation.join(', ')}] ` +
        'cannot both exceed 1 (TensorFlow does not define that convolution either)',
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    asShape4(xShape, `${kernel} input`),
    asShape4(filterShape, `${kernel} filter`),
    stride,
    dilation,
    pad,
    rounding,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    stride,
    dilation,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Filter gradient as a forward conv over x with dy as the filter: the window must span exactly
 * (k-1)·dilation + (out-1)·stride + 1 positions starting at -padTop. Returns [before, after]; a
 * negative "after" means trailing input rows that no output ever read (valid pad with a stride).
 */
export function filterGradPads(g: ConvGeometry): { rows: Pair; cols: Pair } {
  const after = (k: number, d: number, out: number, s: number, before: number, size: number): number =>
    (k - 1) * d + (out - 1) * s + 1 - before - size;
  return {
    rows: [g.padTop, after(g.kh, g.dilation[0], g.outH, g.stride[0], g.padTop, g.inH)],
    cols: [g.padLeft, after(g.kw, g.dilation[1], g.outW, g.stride[1], g.padLeft, g.inW)],
  };
}

/**
 * Input gradient as a forward stride-1 conv of dy (already zero-upsampled by the stride to
 * `upH`×`upW`) with the 180°-rotated filter. Negative values mean "crop dy".
 */
export function inputGradPads(g: ConvGeometry, upH: number, upW: number): { rows: Pair; cols: Pair } {
  return {
    rows: [(g.kh - 1) * g.dilation[0] - g.padTop, g.inH + g.padTop - upH],
    cols: [(g.kw - 1) * g.dilation[1] - g.padLeft, g.inW + g.padLeft - upW],
  };
}
