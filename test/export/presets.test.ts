import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportMetadata } from '../../onnx/metadata.js';
import { createSynthetic } from '../../data/index.js';
import { buildModel } from '../../train/models/index.js';
import type { InputSpec, ModelSpecInput } from '../../train/models/index.js';
import { checkWithPythonOnnx, pythonOnnxMissing } from './helpers/onnx-checker.js';
import { randomizeWeights, useCpu } from './helpers/models.js';
import { exportWithParity } from './helpers/parity.js';

beforeAll(useCpu);

/** Every model preset, small enough for 2 shared cores, plus the variants the edge cases need. */
const presets: Array<{ name: string; input: InputSpec; spec: ModelSpecInput }> = [
  { name: 'tiny', input: { height: 28, width: 28, channels: 1, classes: 10 }, spec: { preset: 'tiny' } },
  { name: 'model-m', input: { height: 28, width: 28, channels: 1, classes: 10 }, spec: { preset: 'model-m' } },
  {
    name: 'seednet (BN, SE, residual, dropout)',
    input: { height: 28, width: 28, channels: 1, classes: 10 },
    spec: { preset: 'seednet', width: 0.25 },
  },
  {
    name: 'seednet (ELU, no BN, stride-2 stem, 1-plus SE)',
    input: { height: 29, width: 29, channels: 3, classes: 5 },
    spec: {
      preset: 'seednet',
      width: 0.25,
      activation: 'elu',
      batchNorm: false,
      stemStride: 2,
      se: { ratio: 4, onePlusScale: 0.1 },
    },
  },
  {
    name: 'alexnet (LRN, 5×5 stem)',
    input: { height: 64, width: 64, channels: 3, classes: 110 },
    spec: { preset: 'alexnet', width: 0.0625, lrn: true, stemKernel: 5, stemStride: 2 },
  },
  {
    name: 'alexnet (11×11 stride-4 stem, odd 67×67)',
    input: { height: 67, width: 67, channels: 3, classes: 10 },
    spec: { preset: 'alexnet', width: 0.0625 },
  },
  {
    name: 'resnet-mini',
    input: { height: 32, width: 32, channels: 3, classes: 10 },
    spec: { preset: 'resnet-mini', width: 0.5 },
  },
];

const exported: Record<string, Uint8Array> = {};
const timings: Record<string, number> = {};
const worst: Record<string, number> = {};

describe.each(presets)('preset $name', ({ name, input, spec }) => {
  it('exports with Keras node names and metadata, and matches tfjs at every layer on random and synthetic images', async () => {
    const { model } = buildModel(input, spec);
    randomizeWeights(model, 11);
    const data = createSynthetic({
      height: input.height,
      width: input.width,
      channels: input.channels as 1 | 3,
      classes: input.classes,
    });
    const batch = await data.read('test', [0, 1, 2, 3]);
    const real = {
      name: 'synthetic',
      shape: [4, input.height, input.width, input.channels] as [number, number, number, number],
      nhwc: batch.images,
    };
    const started = performance.now();
    const { result, report } = await exportWithParity(model, [real], 4);
    const bytes = result.encode();
    timings[name] = performance.now() - started;
    exported[name.split(' ')[0] + Object.keys(exported).length] = bytes;

    const layerNames = new Set(model.layers.map((l) => l.name));
    for (const n of result.model.graph.nodes) expect(layerNames.has(n.name.split(/[/:]/)[0]), n.name).toBe(true);
    expect(result.model.graph.inputs[0]).toEqual({
      name: 'input',
      type: 'float',
      shape: ['N', input.channels, input.height, input.width],
    });
    expect(result.model.graph.outputs[0]).toEqual({
      name: 'probabilities',
      type: 'float',
      shape: ['N', input.classes],
    });
    const meta = parseExportMetadata(result.model.metadata);
    expect(meta.inputSize).toEqual({ height: input.height, width: input.width, channels: input.channels });
    expect(meta.labels).toHaveLength(input.classes);
    // Every layer but the input is compared (dropped Dropouts too: their value is their input's).
    expect(report.layers.map((l) => l.layer).sort()).toEqual(
      model.layers
        .filter((l) => l.getClassName() !== 'InputLayer')
        .map((l) => l.name)
        .sort(),
    );
    worst[name] = report.worst?.relToScale ?? 0;
    expect(report.inputs.map((i) => i.name)).toEqual(['random', 'synthetic']);
    model.dispose();
  });
});

describe('independent check', () => {
  it('every exported preset passes onnx.checker.check_model(full_check=True)', (ctx) => {
    const missing = pythonOnnxMissing();
    if (missing) {
      console.log(`skipping the python3-onnx checker: ${missing}`);
      ctx.skip();
      return;
    }
    const lines = checkWithPythonOnnx(exported);
    expect(lines).toHaveLength(Object.keys(exported).length);
    for (const l of lines) expect(l).toMatch(/^ok .* 8 17 /);
  });
});

afterAll(() => {
  console.log(`worst |diff| / layer scale per preset: ${JSON.stringify(worst)}`);
  console.log(
    `export + parity time per preset (ms): ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`,
  );
});
