import { attr } from '../onnx/spec.js';
import type { OnnxAttribute } from '../onnx/spec.js';

export type PaddingMode = 'same' | 'valid';

/**
 * TensorFlow's 'same': output = ceil(in / stride), total padding = max((out − 1)·stride + (k − 1)·dilation + 1 − in, 0),
 * and the odd pixel goes AFTER (bottom/right). PyTorch-style symmetric pads would shift every window by one pixel
 * on even inputs with stride 2, which is why pads are computed here rather than copied.
 */
export function tfSamePads(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Padding attributes of an ONNX Conv/MaxPool/AveragePool for a TF padding mode. Explicit pads when the spatial
 * size is known (always, for models with a fixed input); SAME_UPPER (the same rule) only when it is not.
 */
export function padAttributes(
  mode: PaddingMode,
  spatial: readonly [number | null, number | null],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number] = [1, 1],
): Record<string, OnnxAttribute> {
  if (mode === 'valid') return { pads: attr.ints([0, 0, 0, 0]) };
  const [h, w] = spatial;
  if (h === null || w === null) return { auto_pad: attr.string('SAME_UPPER') };
  const [top, bottom] = tfSamePads(h, kernel[0], strides[0], dilations[0]);
  const [left, right] = tfSamePads(w, kernel[1], strides[1], dilations[1]);
  return { pads: attr.ints([top, left, bottom, right]) };
}
