/** A config's seed fixes the initial weights (train/models/seed-weights.ts). */
import { describe, expect, it } from 'vitest';
import { buildModel, seedInitialWeights } from '../../train/models/index.js';
import type { ModelSpecInput } from '../../train/models/index.js';

const mnist = { height: 28, width: 28, channels: 1, classes: 10 };
// seednet with the SE "1-plus" initializer: a RandomNormal(mean 1) next to the heNormal and glorotUniform kernels.
const spec: ModelSpecInput = { preset: 'seednet', width: 0.25, se: { ratio: 8, onePlusScale: 0.01 } };

function seededWeights(seed: number): Array<{ name: string; values: Float32Array }> {
  const { model } = buildModel(mnist, spec);
  seedInitialWeights(model, seed);
  const out = model.weights.map((w) => ({ name: w.originalName, values: w.read().dataSync() as Float32Array }));
  model.dispose();
  return out;
}

const std = (a: Float32Array): number => {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
};

describe('seeded initial weights', () => {
  it('gives the same weights for the same seed and other random weights for another, constants untouched', () => {
    const a = seededWeights(7);
    const b = seededWeights(7);
    const c = seededWeights(8);
    let random = 0;
    a.forEach((w, i) => {
      expect(b[i].values).toEqual(w.values);
      const constant = w.values.every((v) => v === w.values[0]);
      if (constant)
        expect(c[i].values).toEqual(w.values); // biases, BN gamma/beta and statistics
      else {
        random++;
        expect(c[i].values).not.toEqual(w.values);
      }
    });
    expect(random).toBeGreaterThan(5);
  });

  it('draws from each layer’s own initializer: spreads match the unseeded draws, the SE 1-plus kernel stays near 1', () => {
    const { model } = buildModel(mnist, spec);
    const before = new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
    expect(seedInitialWeights(model, 3)).toBeGreaterThan(5);
    let spreads = 0;
    let onePlus = 0;
    for (const w of model.weights) {
      const now = w.read().dataSync() as Float32Array;
      const was = before.get(w.originalName)!;
      if (/squeeze\/kernel$/.test(w.originalName)) {
        onePlus++;
        expect(Math.abs(now.reduce((s, v) => s + v, 0) / now.length - 1)).toBeLessThan(0.01);
        expect(std(now)).toBeLessThan(0.02);
      }
      if (was.length < 256 || was.every((v) => v === was[0])) continue;
      spreads++;
      expect(std(now) / std(was)).toBeGreaterThan(0.8);
      expect(std(now) / std(was)).toBeLessThan(1.25);
    }
    model.dispose();
    expect(spreads).toBeGreaterThan(5);
    expect(onePlus).toBeGreaterThan(0);
  });
});
