import * as tf from '@tensorflow/tfjs';

/** Seeded normal samples (mulberry32 + Box–Muller): the same model every run, so a failure reproduces. */
export function seededNormal(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Replaces every weight with seeded random values of a realistic scale, and gives BatchNormalization
 * non-trivial moving statistics (fresh layers have mean 0, variance 1, which would hide a swapped input).
 */
export function randomizeWeights(model: tf.LayersModel, seed = 7): void {
  const normal = seededNormal(seed);
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const kind = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      const shape = w.shape.map((d) => d ?? 1);
      const n = shape.reduce((a, b) => a * b, 1);
      const fanIn = kind === 'depthwise_kernel' ? shape[0] * shape[1] : n / shape[shape.length - 1];
      const gen: Record<string, () => number> = {
        gamma: () => 1 + 0.3 * normal(),
        moving_mean: () => 0.3 * normal(),
        moving_variance: () => 0.5 + Math.abs(normal()),
        bias: () => 0.1 * normal(),
        beta: () => 0.1 * normal(),
      };
      const draw = gen[kind] ?? (() => normal() * Math.sqrt(2 / fanIn));
      return tf.tensor(Float32Array.from({ length: n }, draw), shape);
    });
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
}

/** Tests run on the pure-JS cpu backend: the reference implementation, and no wasm start-up per file. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
