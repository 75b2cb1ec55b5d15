/**
 * Thin calls into other wasm kernels, so the replacement kernels in this folder keep the heavy math
 * in XNNPACK. Every helper returns a fresh TensorInfo owned by the caller: free it with `free()`.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Info = tf.TensorInfo;
export type Pair = [number, number];

export function runWasm(
  name: string,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): Info {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned several outputs, expected one`);
  return out;
}

/** Releases intermediates; `disposeData` is ref-counted, so reshaped views are safe to free too. */
export function free(backend: BackendWasm, ...infos: Info[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export const transpose = (b: BackendWasm, x: Info, perm: number[]): Info => runWasm('Transpose', b, { x }, { perm });
export const reshape = (b: BackendWasm, x: Info, shape: number[]): Info => runWasm('Reshape', b, { x }, { shape });
export const reverse = (b: BackendWasm, x: Info, dims: number[]): Info => runWasm('Reverse', b, { x }, { dims });
export const sum = (b: BackendWasm, x: Info, axis: number[]): Info =>
  runWasm('Sum', b, { x }, { axis, keepDims: false });

/** Explicit NHWC padding as tfjs expects it: [[0,0],[top,bottom],[left,right],[0,0]]. */
export function explicitPad(rows: Pair, cols: Pair): number[][] {
  return [
    [0, 0],
    [rows[0], rows[1]],
    [cols[0], cols[1]],
    [0, 0],
  ];
}

export interface ConvCall {
  strides: Pair;
  dilations: Pair;
  rows: Pair;
  cols: Pair;
}

export function conv2d(b: BackendWasm, x: Info, filter: Info, c: ConvCall): Info {
  return runWasm(
    'Conv2D',
    b,
    { x, filter },
    {
      strides: c.strides,
      dilations: c.dilations,
      pad: explicitPad(c.rows, c.cols),
      dataFormat: 'NHWC',
    },
  );
}

export function depthwiseConv2d(b: BackendWasm, x: Info, filter: Info, c: ConvCall): Info {
  return runWasm(
    'DepthwiseConv2dNative',
    b,
    { x, filter },
    {
      strides: c.strides,
      dilations: c.dilations,
      pad: explicitPad(c.rows, c.cols),
    },
  );
}

/**
 * Makes paddings usable by a conv: negative amounts mean "this many rows/cols of x are never read",
 * so they are cut off with a Slice (XNNPACK rejects negative padding). Returns x itself when no
 * crop is needed; `owned` tells the caller whether it must free the result.
 */
export function cropForPads(
  b: BackendWasm,
  x: Info,
  rows: Pair,
  cols: Pair,
): { x: Info; owned: boolean; rows: Pair; cols: Pair } {
  const cut = (p: Pair): Pair => [Math.max(0, -p[0]), Math.max(0, -p[1])];
  const [ct, cb] = cut(rows);
  const [cl, cr] = cut(cols);
  const clamp = (p: Pair): Pair => [Math.max(0, p[0]), Math.max(0, p[1])];
  if (ct + cb + cl + cr === 0) return { x, owned: false, rows, cols };
  const [n, h, w, c] = x.shape;
  const sliced = runWasm('Slice', b, { x }, { begin: [0, ct, cl, 0], size: [n, h - ct - cb, w - cl - cr, c] });
  return { x: sliced, owned: true, rows: clamp(rows), cols: clamp(cols) };
}

/** Puts stride-1 zeros after every dy row/col: [N,Ho,Wo,C] → [N,Ho·sh,Wo·sw,C] via a rank-6 pad. */
export function upsample(backend: BackendWasm, dy: Info, sh: number, sw: number): Info {
  const [n, oh, ow, c] = dy.shape;
  const six = reshape(backend, dy, [n, oh, 1, ow, 1, c]);
  const padded = runWasm(
    'PadV2',
    backend,
    { x: six },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const up = reshape(backend, padded, [n, oh * sh, ow * sw, c]);
  free(backend, six, padded);
  return up;
}
