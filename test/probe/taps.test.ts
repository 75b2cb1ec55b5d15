import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../onnx/model.js';
import { arraySource } from '../../probe/input/source.js';
import { probeModel } from '../../probe/run/probe-model.js';
import { STRUCTURE_ONLY_LABEL } from '../../probe/cards/builtin.js';
import { baseName, nameStyle, tapName } from '../../probe/taps/names.js';
import { selectTaps } from '../../probe/taps/select.js';
import { DEFAULT_TAP_OPS, POOL_OPS } from '../../probe/taps/ops.js';
import type { OnnxNode } from '../../onnx/model.js';
import { fixture, skipReason } from './fixtures.js';

const node = (name: string, opType = 'Conv'): OnnxNode => ({
  name,
  opType,
  domain: '',
  inputs: [],
  outputs: [],
  attributes: {},
});

describe('human names', () => {
  it.each([
    ['/features/features.3/Conv', 'conv2', 'conv2'],
    ['/classifier/classifier.1/Gemm', 'fc1', 'fc1'],
    ['/se/excite/Gemm', 'fc4', 'se_excite'],
    ['/layer1/layer1.0/conv1/Conv', 'conv3', 'layer1_0_conv1'],
    ['conv3', 'conv9', 'conv3'],
    ['se2_excite', 'fc2', 'se2_excite'],
    ['conv1/relu', 'relu1', 'conv1'],
    ['Conv_17', 'conv4', 'conv4'],
    ['node_5', 'pool2', 'pool2'],
    ['', 'conv1', 'conv1'],
  ])('%s → %s', (raw, counter, want) => {
    expect(baseName(node(raw), counter)).toBe(want);
  });

  it('keeps Keras names as they are and folds sub-nodes into their layer', () => {
    expect(nameStyle('conv1_relu')).toBe('keras');
    expect(tapName(node('conv1_relu', 'Relu'), 'relu1', node('conv1'), 'conv1')).toBe('conv1_relu');
    expect(tapName(node('conv1/relu', 'Relu'), 'relu1', node('conv1'), 'conv1')).toBe('conv1');
    const softmax = node('classifier/softmax', 'Softmax');
    expect(tapName(softmax, 'softmax1', softmax, 'softmax1')).toBe('classifier_softmax');
    expect(
      tapName(node('/features/features.1/Relu', 'Relu'), 'relu1', node('/features/features.0/Conv'), 'conv1'),
    ).toBe('conv1');
  });
});

const skipTorch = skipReason('torch');
if (skipTorch) console.log(`skipping the torch-exported AlexNet-topology probe: ${skipTorch}`);

describe("tap selection on our exporter's naming", () => {
  it('taps block ends (after BN+ReLU) with Keras names, SE roles and op filters', () => {
    const m = decodeModel(readFileSync(fixture('keras-m')));
    const taps = selectTaps(m);
    expect(taps.map((t) => `${t.name}:${t.role}`)).toEqual([
      'conv1_relu:conv',
      'conv2_relu:conv',
      'conv3_relu:conv',
      'se1_pool:gap',
      'se1_squeeze:se-fc',
      'se1_excite_logits:se-excite',
      'se1_excite:se-gate',
      'se1_scale:mul',
      'gap:gap',
      'classifier:fc',
      'classifier_softmax:softmax',
    ]);
    // The excitation pre-activations are tapped themselves (the sigmoid's input), not recovered from the gate.
    const sigmoidInput = m.nodes.find((n) => n.name === 'se1_excite/sigmoid')?.inputs[0];
    expect(taps.find((t) => t.name === 'se1_excite_logits')).toMatchObject({ tensor: sigmoidInput, sigmoid: false });
    expect(taps.find((t) => t.name === 'conv1_relu')).toMatchObject({ head: 'conv1', node: 'conv1_relu', op: 'Relu' });
    expect(taps.find((t) => t.name === 'se1_excite')).toMatchObject({ node: 'se1_excite/sigmoid', sigmoid: true });
    expect(selectTaps(m, { ops: ['Conv'] }).map((t) => t.name)).toEqual(['conv1_relu', 'conv2_relu', 'conv3_relu']);
    expect(selectTaps(m, { ops: ['MaxPool'] }).map((t) => `${t.name}:${t.role}`)).toEqual(['pool1:pool', 'pool2:pool']);
    expect(selectTaps(m, { ops: ['Conv'], exact: true }).map((t) => t.name)).toEqual(['conv1', 'conv2', 'conv3']);
    expect(selectTaps(m, { names: /^se1_/ }).map((t) => t.name)).toEqual([
      'se1_pool',
      'se1_squeeze',
      'se1_excite_logits',
      'se1_excite',
      'se1_scale',
    ]);
  });
});

describe.skipIf(skipTorch !== null)(
  `a torch.onnx AlexNet-topology model (random weights: ${STRUCTURE_ONLY_LABEL})`,
  () => {
    it('probes a model no one here made, with torchvision-style names turned human', async () => {
      const model = fixture('torch-alexnet');
      const n = 6;
      const px = Float32Array.from({ length: n * 64 * 64 * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
      const taps = { ops: [...DEFAULT_TAP_OPS, ...POOL_OPS] };
      const r = await probeModel({
        model,
        source: arraySource(px, n, 64, 64, 3),
        card: 'torchvision-alexnet',
        label: STRUCTURE_ONLY_LABEL,
        batchSize: 4,
        taps,
      });
      expect(r.label).toBe('structure only, not pretrained');
      expect(r.layers.map((l) => l.name)).toEqual([
        'conv1',
        'pool1',
        'conv2',
        'pool2',
        'conv3',
        'conv4',
        'conv5',
        'pool3',
        'avgpool',
        'fc1',
        'fc2',
        'fc3',
      ]);
      const conv2 = r.layers.find((l) => l.name === 'conv2')!;
      expect(conv2).toMatchObject({
        head: '/features/features.3/Conv',
        node: '/features/features.4/Relu',
        role: 'conv',
        shape: [1, 24, 27, 27],
      });
      expect(r.layers.find((l) => l.name === 'fc3')).toMatchObject({ op: 'Gemm', role: 'fc', shape: [1, 10] });
      // ReLU outputs: never negative, and the per-channel max bounds every watch row.
      for (const l of r.layers.filter((x) => x.op === 'Relu')) {
        expect(Math.min(...l.channels.min.map(Number))).toBeGreaterThanOrEqual(0);
        l.watch.max.forEach((row) => row.forEach((v, c) => expect(v!).toBeLessThanOrEqual(l.channels.max[c]!)));
      }
      // torchvision preprocessing: ImageNet mean/std applied to the [0, 1] pixels.
      expect(r.input.channels.mean[0]!).toBeCloseTo((0.4995 - 0.485) / 0.229, 1);
    });
  },
);
