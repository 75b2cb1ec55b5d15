import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportLayersModel } from '../../export/convert.js';
import { supportedClasses } from '../../export/emitters/registry.js';
import { emitterCases } from './emitter-cases.js';
import { randomizeWeights, useCpu } from './helpers/models.js';
import { exportWithParity, opTypes } from './helpers/parity.js';
import { checkParity } from '../../export/parity.js';
import { randomInputs } from '../../export/parity/inputs.js';
import { layersReference } from '../../export/parity/reference.js';

type Sym = tf.SymbolicTensor;

beforeAll(useCpu);

/** The case body plus a Flatten → Dense softmax head, so every case is a [N, classes] classifier. */
function caseModel(input: [number, number, number], body: (x: Sym) => Sym): tf.LayersModel {
  const x = tf.input({ name: 'input', shape: input });
  let h = body(x);
  if (h.shape.length > 2) h = tf.layers.flatten({ name: 'head_flatten' }).apply(h) as Sym;
  const out = tf.layers.dense({ name: 'head', units: 3, activation: 'softmax' }).apply(h) as Sym;
  const model = tf.model({ name: 'case', inputs: x, outputs: out });
  randomizeWeights(model);
  return model;
}

/** Multiset inclusion: each expected op appears at least as often as listed. */
function missingOps(have: string[], want: string[]): string[] {
  const left = [...have];
  return want.filter((op) => {
    const i = left.indexOf(op);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

describe.each(emitterCases)('emitter parity: $name', ({ input, body, ops, dropped }) => {
  it('matches tfjs at every layer, with the expected ops and Keras node names', async () => {
    const model = caseModel(input, body);
    const { result, report } = await exportWithParity(model);
    expect(missingOps(opTypes(result), ops)).toEqual([]);
    const layerNames = model.layers.map((l) => l.name);
    for (const n of result.model.graph.nodes)
      expect(
        layerNames.some((l) => n.name === l || n.name.startsWith(`${l}/`) || n.name.startsWith(`${l}:`)),
        n.name,
      ).toBe(true);
    for (const d of dropped ?? []) expect(result.model.graph.nodes.filter((n) => n.name.startsWith(d))).toEqual([]);
    expect(report.layers.map((l) => l.layer)).toContain('head');
    model.dispose();
  });
});

describe('emitter registry', () => {
  it('rejects an unknown Keras class, naming the layer, its class and the supported list', () => {
    const x = tf.input({ name: 'input', shape: [4, 4, 1] });
    const up = tf.layers.upSampling2d({ name: 'upsample', size: [2, 2] }).apply(x) as Sym;
    const out = tf.layers
      .dense({ name: 'head', units: 2 })
      .apply(tf.layers.flatten({ name: 'f' }).apply(up) as Sym) as Sym;
    const model = tf.model({ inputs: x, outputs: out });
    expect(() => exportLayersModel(model)).toThrow(/upsample \(UpSampling2D\).*supported classes: .*Conv2D.*Dense/);
    expect(supportedClasses).toContain('LocalResponseNormalization');
  });

  it('rejects an unsupported config, naming the layer and the field', () => {
    const x = tf.input({ name: 'input', shape: [4, 4, 2] });
    const c = tf.layers.conv2d({ name: 'cf', filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' }).apply(x) as Sym;
    const out = tf.layers
      .dense({ name: 'head', units: 2 })
      .apply(tf.layers.flatten({ name: 'f' }).apply(c) as Sym) as Sym;
    expect(() => exportLayersModel(tf.model({ inputs: x, outputs: out }))).toThrow(
      /layer cf \(Conv2D\): unsupported config: config\.data_format: only channels_last/,
    );
  });

  it('exports a Sequential model', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [6, 6, 1],
          filters: 3,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
          name: 's_conv',
        }),
        tf.layers.flatten({ name: 's_flat' }),
        tf.layers.dense({ units: 4, activation: 'softmax', name: 's_head' }),
      ],
    });
    randomizeWeights(model);
    const { result } = await exportWithParity(model);
    expect(result.model.graph.nodes.map((n) => n.name)).toEqual([
      's_conv',
      's_conv/relu',
      's_flat/to_nhwc',
      's_flat',
      's_head',
      's_head/softmax',
    ]);
  });
});

describe('parity check', () => {
  it('catches a layout mistake: a Flatten without its NCHW → NHWC transpose fails at that layer', async () => {
    const model = caseModel(
      [5, 6, 2],
      (x) => tf.layers.conv2d({ name: 'c', filters: 3, kernelSize: 3 }).apply(x) as Sym,
    );
    const { result } = await exportWithParity(model);
    const transpose = result.model.graph.nodes.find((n) => n.name === 'head_flatten/to_nhwc');
    expect(transpose?.attributes.perm).toEqual({ kind: 'ints', value: [0, 2, 3, 1] });
    if (transpose) transpose.attributes.perm = { kind: 'ints', value: [0, 1, 2, 3] };
    const report = await checkParity(
      result,
      layersReference(model, result.layers),
      [randomInputs(result.metadata.inputSize, 2)],
      { threads: 1 },
    );
    expect(report.passed).toBe(false);
    expect(report.layers.filter((l) => !l.passed).map((l) => l.layer)).toEqual(['head_flatten', 'head']);
  });

  it('writes TF asymmetric pads for an even input with stride 2', () => {
    const x = tf.input({ name: 'input', shape: [8, 8, 1] });
    const c = tf.layers.conv2d({ name: 'c', filters: 1, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as Sym;
    const out = tf.layers
      .dense({ name: 'head', units: 2 })
      .apply(tf.layers.flatten({ name: 'f' }).apply(c) as Sym) as Sym;
    const conv = exportLayersModel(tf.model({ inputs: x, outputs: out })).model.graph.nodes.find((n) => n.name === 'c');
    expect(conv?.attributes.pads).toEqual({ kind: 'ints', value: [0, 0, 1, 1] });
  });
});
