/**
 * The dy both input gradients (Conv2D and depthwise) convolve: zero-upsampled by the forward stride, then
 * cropped where the needed padding is negative. One place for the ownership rule: `owned` says whether the
 * caller must free `x` (it is a fresh tensor whenever an upsample or a crop made one).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { inputGradPads, type ConvGeometry } from './conv-geometry.js';
import { cropForPads, free, upsample, type Info, type Pair } from './wasm-ops.js';

export function inputGradSource(
  backend: BackendWasm,
  dy: Info,
  g: ConvGeometry,
): { x: Info; rows: Pair; cols: Pair; owned: boolean } {
  const strided = g.stride[0] > 1 || g.stride[1] > 1;
  const up = strided ? upsample(backend, dy, g.stride[0], g.stride[1]) : dy;
  const pads = inputGradPads(g, up.shape[1], up.shape[2]);
  const cropped = cropForPads(backend, up, pads.rows, pads.cols);
  if (strided && cropped.owned) free(backend, up);
  return { x: cropped.x, rows: cropped.rows, cols: cropped.cols, owned: cropped.owned || strided };
}
