import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../train/backend/index.js';
import { buildModel } from '../../train/models/index.js';
import type { ModelSpecInput } from '../../train/models/index.js';

// Dropout off so both backends see the same function; widths small so the cpu reference stays quick.
const presets: Array<[string, ModelSpecInput, { height: number; width: number; channels: number; classes: number }]> = [
  ['tiny', { preset: 'tiny' }, { height: 12, width: 12, channels: 1, classes: 3 }],
  ['model-m', { preset: 'model-m', width: 0.25 }, { height: 28, width: 28, channels: 1, classes: 10 }],
  [
    'seednet',
    { preset: 'seednet', width: 0.125, dropout: 0, se: { ratio: 2, nearOneWeight: 0.1, onePlusScale: 0.01 } },
    { height: 28, width: 28, channels: 1, classes: 10 },
  ],
  [
    'seednet elu no-BN',
    { preset: 'seednet', width: 0.125, dropout: 0, batchNorm: false, activation: 'elu' },
    { height: 20, width: 20, channels: 3, classes: 5 },
  ],
  [
    'alexnet lrn',
    { preset: 'alexnet', width: 0.03, dropout: 0, lrn: true, stemKernel: 5, stemStride: 2 },
    { height: 47, width: 47, channels: 3, classes: 7 },
  ],
  ['resnet-mini', { preset: 'resnet-mini', width: 0.5 }, { height: 16, width: 16, channels: 3, classes: 4 }],
];

/** Loss and gradients of one training-mode step (same math as the trainer's step, without the update). */
function lossAndGrads(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  classes: number,
): { loss: number; grads: Float32Array[] } {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const probs = model.apply(x, { training: true }) as tf.Tensor2D;
    return tf.neg(
      tf.mean(tf.sum(tf.mul(tf.oneHot(y, classes), tf.log(tf.clipByValue(probs, 1e-7, 1))), 1)),
    ) as tf.Scalar;
  }, vars);
  const out = { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync() as Float32Array) };
  tf.dispose([value, grads]);
  return out;
}

/**
 * Replaces the initial weights by seeded draws of the same spread (constant tensors such as biases and BN
 * statistics stay), so every run compares the same function: with unseeded weights, a rare near-tie in a
 * max-pool window could route one gradient differently on the two backends (rounding differs by ~1e-7).
 */
function reseed(model: tf.LayersModel, seed: number): void {
  const seeded = model.getWeights().map((w, i) =>
    tf.tidy(() => {
      const { mean, variance } = tf.moments(w);
      const std = Math.sqrt(variance.dataSync()[0]);
      return std === 0 ? w.clone() : tf.add(tf.randomNormal(w.shape, 0, std, 'float32', seed + i), mean);
    }),
  );
  model.setWeights(seeded);
  tf.dispose(seeded);
}

describe('every preset trains on wasm: kernels present, gradients equal to the cpu backend', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it.each(presets)('%s', async (_name, spec, input) => {
    await tf.setBackend('wasm');
    const { model } = buildModel(input, spec);
    reseed(model, 4242);
    const x = tf.randomUniform([2, input.height, input.width, input.channels], 0, 1, 'float32', 7) as tf.Tensor4D;
    const y = tf.tensor1d([0, 1], 'int32');
    let wasm: { loss: number; grads: Float32Array[] } | undefined;
    const profile = await tf.profile(() => {
      wasm = lossAndGrads(model, x, y, input.classes);
    });
    // Names ending in __op are tfjs customGrad wrappers (fused ops), not kernels.
    const kernels = [...new Set(profile.kernelNames)].filter((k) => !k.endsWith('__op')).sort();
    const missing = kernels.filter((k) => tf.getKernel(k, 'wasm') === undefined);
    expect(missing).toEqual([]);
    expect(kernels).toContain('Conv2DBackpropFilter');
    expect(Number.isFinite(wasm!.loss)).toBe(true);

    await tf.setBackend('cpu');
    const cpu = lossAndGrads(model, x, y, input.classes);
    expect(wasm!.loss).toBeCloseTo(cpu.loss, 4);
    cpu.grads.forEach((g, i) => {
      const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
      let worst = 0;
      for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j] - wasm!.grads[i][j]));
      expect(worst / scale, `gradient of ${model.trainableWeights[i].name}`).toBeLessThan(2e-3);
    });
    tf.dispose([x, y]);
    model.dispose();
  });
});
