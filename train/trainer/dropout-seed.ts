import type * as tf from '@tensorflow/tfjs';
import { Rng } from '../../data/rng.js';

/**
 * Dropout masks drawn from the run's seed and the step, so two runs of one config match and a resumed run
 * draws the masks the uninterrupted one would have. tfjs' Dropout layer passes its `seed` field to
 * tf.dropout → randomUniform, and draws from Math.random when it is unset: two runs of one config and seed
 * ended at test accuracy 0.5371 and 0.6484, and test/train/reproducible.test.ts's weights differ without this.
 * The layer reads the field on every call, so setting it before each step gives every step (and every dropout
 * layer) its own mask stream, a function of (seed, mini-epoch, step) alone.
 */
export interface SeededDropout {
  /** Number of dropout layers being seeded. */
  layers: number;
  /** Seeds every dropout layer for global step `step` (mini-epoch and step within it, as the trainer counts). */
  seedStep(miniEpoch: number, step: number): void;
}

interface DropoutFields {
  seed?: number;
}

export function seedDropout(model: tf.LayersModel, runSeed: number): SeededDropout {
  const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as DropoutFields[];
  return {
    layers: dropouts.length,
    seedStep(miniEpoch: number, step: number) {
      const rng = new Rng(
        (Math.imul(runSeed ^ 0x2545f491, 0x9e3779b1) + Math.imul(miniEpoch, 0x85ebca6b) + step) >>> 0,
      );
      // A non-zero integer below 2^31: seedrandom reads it through toString().
      for (const d of dropouts) d.seed = (rng.nextUint32() >>> 1) + 1;
    },
  };
}
