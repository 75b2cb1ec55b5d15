/**
 * How far onnxruntime's output is from tfjs' for one layer. The gate is `relToScale` = max |Δ| / max |reference|:
 * float32 rounding grows with the magnitude of the activations (AlexNet's reach the hundreds), so an absolute
 * 1e-4 would fail healthy big layers and pass broken tiny ones.
 */
export interface Diff {
  maxAbsDiff: number;
  /** Element-wise |Δ| / |reference|, with references below 1e-3 of the layer's scale counted at that floor. */
  maxRelDiff: number;
  scale: number;
  relToScale: number;
  /** False when either side holds NaN or ±Infinity. */
  finite: boolean;
}

export function compareArrays(reference: Float32Array, actual: Float32Array): Diff {
  if (reference.length !== actual.length)
    throw new Error(`compare: ${reference.length} reference values vs ${actual.length} actual`);
  let scale = 0;
  let finite = true;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i];
    if (!Number.isFinite(r) || !Number.isFinite(actual[i])) finite = false;
    else if (Math.abs(r) > scale) scale = Math.abs(r);
  }
  const floor = Math.max(scale * 1e-3, Number.MIN_VALUE);
  let maxAbsDiff = 0;
  let maxRelDiff = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs(actual[i] - reference[i]);
    if (!(d <= maxAbsDiff)) maxAbsDiff = d;
    const rel = d / Math.max(Math.abs(reference[i]), floor);
    if (!(rel <= maxRelDiff)) maxRelDiff = rel;
  }
  const relToScale = scale > 0 ? maxAbsDiff / scale : maxAbsDiff === 0 ? 0 : Number.POSITIVE_INFINITY;
  return { maxAbsDiff, maxRelDiff, scale, relToScale, finite };
}
