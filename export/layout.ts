/**
 * The one place that knows TensorFlow's and ONNX's memory orders. tfjs keeps images NHWC and conv kernels
 * HWIO (depthwise: H, W, in, multiplier); the exported graph is NCHW with OIHW kernels. Emitters, the parity
 * check and the graph-model path all go through `toOnnxLayout` and the permutations below.
 */
export type LayoutKind = 'activation' | 'conv-kernel' | 'depthwise-kernel';

/** Transpose perms as ONNX writes them: output axis i takes input axis perm[i]. */
export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];
const HWIO_TO_OIHW = [3, 2, 0, 1];

export interface HostArray {
  values: Float32Array;
  shape: number[];
}

export function permute(values: Float32Array, shape: number[], perm: number[]): HostArray {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * shape[i + 1];
  const stepOf = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = values[src];
    // Odometer over output indices, keeping the matching input offset incrementally.
    for (let a = rank - 1; a >= 0; a--) {
      index[a]++;
      src += stepOf[a];
      if (index[a] < outShape[a]) break;
      src -= stepOf[a] * outShape[a];
      index[a] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/**
 * TF order → ONNX order. Activations of rank ≠ 4 are the same in both (flattened/dense tensors keep Keras order).
 * A depthwise kernel [H, W, C, M] is an HWIO kernel [H, W, 1, C·M] whose output channel c·M + m is TF's own
 * depthwise output order, so it becomes a grouped-conv OIHW kernel [C·M, 1, H, W].
 */
export function toOnnxLayout(kind: LayoutKind, values: Float32Array, shape: number[]): HostArray {
  if (values.length !== shape.reduce((a, b) => a * b, 1))
    throw new Error(`layout ${kind}: shape [${shape.join(', ')}] does not hold ${values.length} values`);
  if (kind === 'activation') return shape.length === 4 ? permute(values, shape, NHWC_TO_NCHW) : { values, shape };
  if (shape.length !== 4) throw new Error(`layout ${kind}: expected a rank-4 kernel, got shape [${shape.join(', ')}]`);
  if (kind === 'conv-kernel') return permute(values, shape, HWIO_TO_OIHW);
  const [h, w, c, m] = shape;
  return permute(values, [h, w, 1, c * m], HWIO_TO_OIHW);
}

/** A Keras (NHWC) shape as the ONNX graph holds it. */
export function onnxShape<T>(kerasShape: readonly T[]): T[] {
  return kerasShape.length === 4 ? NHWC_TO_NCHW.map((p) => kerasShape[p]) : [...kerasShape];
}

/** A Keras axis (negative allowed) of a rank-`rank` tensor, as the ONNX axis of the same data. */
export function onnxAxis(kerasAxis: number, rank: number): number {
  const a = kerasAxis < 0 ? kerasAxis + rank : kerasAxis;
  if (a < 0 || a >= rank) throw new Error(`axis ${kerasAxis} is out of range for a rank-${rank} tensor`);
  return rank === 4 ? NHWC_TO_NCHW.indexOf(a) : a;
}

/**
 * True when transposing `shape` by `perm` leaves the elements in memory order (only size-1 axes move),
 * so a Transpose before a Reshape/Flatten can be skipped. Unknown sizes (batch) count as > 1.
 */
export function transposeIsNoop(shape: ReadonlyArray<number | null>, perm: number[]): boolean {
  const moved = perm.filter((p) => shape[p] !== 1);
  return moved.every((p, i) => i === 0 || moved[i - 1] < p);
}
