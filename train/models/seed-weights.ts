/**
 * Seeded initial weights. tfjs seeds every random initializer from Math.random, so two runs of one config
 * started from different weights. `seedInitialWeights` draws each randomly initialised weight again from its own
 * layer's initializer (same distribution, same fan-in/fan-out scaling) with a seed made of the config's `seed`
 * and the weight's position in the model, so a config's `seed` fixes a run's starting point. Weights with a
 * constant initializer (zeros, ones, constant, identity: biases, batch-norm parameters and statistics) keep
 * theirs.
 */
import * as tf from '@tensorflow/tfjs';

type Serialized = { className: string; config: Record<string, unknown> };
type Initializer = { apply(shape: number[], dtype?: tf.DataType): tf.Tensor };

const VARIANCE_SCALING = new Set([
  'VarianceScaling',
  'GlorotUniform',
  'GlorotNormal',
  'HeNormal',
  'HeUniform',
  'LeCunNormal',
  'LeCunUniform',
]);

/** The same initializer with `seed`; null for a constant one; throws for a random one it does not know. */
function seededInitializer(init: Serialized, seed: number, where: string): Initializer | null {
  const c = init.config as Record<string, never>;
  if (VARIANCE_SCALING.has(init.className))
    return tf.initializers.varianceScaling({ scale: c.scale, mode: c.mode, distribution: c.distribution, seed });
  switch (init.className) {
    case 'RandomNormal':
      return tf.initializers.randomNormal({ mean: c.mean, stddev: c.stddev, seed });
    case 'RandomUniform':
      return tf.initializers.randomUniform({ minval: c.minval, maxval: c.maxval, seed });
    case 'TruncatedNormal':
      return tf.initializers.truncatedNormal({ mean: c.mean, stddev: c.stddev, seed });
    case 'Orthogonal':
      return tf.initializers.orthogonal({ gain: c.gain, seed });
    default:
      if ('seed' in init.config)
        throw new Error(
          `${where}: initializer ${init.className} draws at random and cannot be seeded here; add it to train/models/seed-weights.ts`,
        );
      return null;
  }
}

/** The layer config key of a weight's initializer: conv1/kernel → kernelInitializer, bn/moving_mean → movingMeanInitializer, dw/depthwise_kernel → depthwiseInitializer. */
function initializerKey(config: Record<string, unknown>, weightName: string): string | undefined {
  const camel = (weightName.split('/').pop() ?? '').replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase());
  return [`${camel}Initializer`, `${camel.replace(/Kernel$/, '')}Initializer`].find((k) => k in config);
}

/** Redraws every randomly initialised weight of `model` from its own initializer, seeded; returns how many. */
export function seedInitialWeights(model: tf.LayersModel, seed: number): number {
  let drawn = 0;
  let position = 0;
  for (const layer of model.layers) {
    const config = layer.getConfig() as Record<string, unknown>;
    for (const weight of layer.weights) {
      position++;
      const key = initializerKey(config, weight.originalName);
      const init = key === undefined ? undefined : (config[key] as Serialized | null | undefined);
      if (!init || typeof init.className !== 'string') continue;
      const seeded = seededInitializer(
        init,
        (seed >>> 0) * 4096 + position,
        `layer ${layer.name}, weight ${weight.originalName}`,
      );
      if (seeded === null) continue;
      const shape = weight.shape.map((d) => {
        if (d === null)
          throw new Error(
            `layer ${layer.name}, weight ${weight.originalName}: unknown dimension; build the model before seeding it`,
          );
        return d;
      });
      const value = seeded.apply(shape, weight.dtype);
      weight.write(value);
      value.dispose();
      drawn++;
    }
  }
  return drawn;
}
