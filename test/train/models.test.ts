import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel, parseModelSpec, presetNames } from '../../train/models/index.js';
import type { ModelSpecInput } from '../../train/models/index.js';

const mnist = { height: 28, width: 28, channels: 1, classes: 10 };
const cases: Array<[string, ModelSpecInput, typeof mnist]> = [
  ['tiny', { preset: 'tiny' }, mnist],
  ['model-m', { preset: 'model-m' }, mnist],
  ['seednet', { preset: 'seednet', width: 0.25 }, mnist],
  ['alexnet', { preset: 'alexnet', width: 0.0625, lrn: true }, { height: 224, width: 224, channels: 3, classes: 110 }],
  ['resnet-mini', { preset: 'resnet-mini', width: 0.5 }, { height: 32, width: 32, channels: 3, classes: 10 }],
];

describe('model presets', () => {
  it('covers every registered preset', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(presetNames));
  });

  it.each(cases)('%s names every layer and maps NHWC images to class probabilities', (_name, spec, input) => {
    const { model } = buildModel(input, spec);
    // tfjs auto-names look like conv2d_Conv2D3 or dense_Dense1: none may survive, probes need human names.
    for (const layer of model.layers)
      expect(layer.name).not.toMatch(/_(Conv2D|Dense|BatchNormalization|Activation|MaxPooling2D)\d+$/);
    expect(new Set(model.layers.map((l) => l.name)).size).toBe(model.layers.length);
    const probs = tf.tidy(
      () =>
        (
          model.predict(tf.randomUniform([2, input.height, input.width, input.channels])) as tf.Tensor
        ).arraySync() as number[][],
    );
    expect(probs).toHaveLength(2);
    for (const row of probs) {
      expect(row).toHaveLength(input.classes);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    model.dispose();
  });

  it('seednet has 10 convs, a residual add over two of them, two SE blocks and three FC layers', () => {
    const { model } = buildModel(mnist, { preset: 'seednet', width: 0.25 });
    const classes = model.layers.map((l) => l.getClassName());
    expect(classes.filter((c) => c === 'Conv2D')).toHaveLength(10);
    const add = model.getLayer('res1_add');
    const addInputs = add.inboundNodes[0].inboundLayers.map((l) => l.name);
    expect(addInputs).toContain('conv3b_bn');
    expect(model.layers.filter((l) => /^se\d_scale$/.test(l.name))).toHaveLength(2);
    expect(['fc1', 'fc2', 'fc3'].map((n) => model.getLayer(n).getClassName())).toEqual(['Dense', 'Dense', 'Dense']);
    model.dispose();
  });

  it('seednet SE options: near-1 penalty on the sigmoid gates and the 1-plus squeeze initializer', () => {
    const { model, penalties } = buildModel(mnist, {
      preset: 'seednet',
      width: 0.25,
      se: { ratio: 4, nearOneWeight: 0.1, onePlusScale: 0.01 },
    });
    expect(penalties).toEqual([
      { layer: 'se1_excite', kind: 'near-one', weight: 0.1 },
      { layer: 'se2_excite', kind: 'near-one', weight: 0.1 },
    ]);
    const kernel = model.getLayer('se1_squeeze').getWeights()[0];
    const mean = kernel.mean().dataSync()[0];
    const std = tf.moments(kernel).variance.sqrt().dataSync()[0];
    expect(mean).toBeCloseTo(1, 2);
    expect(std).toBeGreaterThan(0.005);
    expect(std).toBeLessThan(0.02);
    model.dispose();
  });

  it('seednet without BN fuses the activation into each conv; elu is honoured', () => {
    const { model } = buildModel(mnist, {
      preset: 'seednet',
      width: 0.25,
      batchNorm: false,
      activation: 'elu',
      se: null,
    });
    expect(model.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    expect((model.getLayer('conv1').getConfig() as { activation: string }).activation).toBe('elu');
    expect(model.layers.some((l) => l.name.startsWith('se'))).toBe(false);
    model.dispose();
  });

  it('rejects a bad spec naming the field and the known presets', () => {
    expect(() => parseModelSpec({ preset: 'vgg' })).toThrow(
      /model\.preset.*known presets: tiny, model-m, seednet, alexnet, resnet-mini/,
    );
    expect(() => parseModelSpec({ preset: 'seednet', activation: 'swish' })).toThrow(/model\.activation/);
  });
});
