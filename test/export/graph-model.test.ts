import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCheckpoint } from '../../export/load.js';
import { checkParity } from '../../export/parity.js';
import { randomInputs } from '../../export/parity/inputs.js';
import { graphFixture, writeGraphModel } from './fixtures/graph-model.js';
import { checkWithPythonOnnx, pythonOnnxMissing } from './helpers/onnx-checker.js';
import { useCpu } from './helpers/models.js';

let root: string;
beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'actprobe-graph-model-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const MAPPED = [
  'Conv2D',
  '_FusedConv2D',
  'BiasAdd',
  'FusedBatchNormV3',
  'MatMul',
  '_FusedMatMul',
  'Relu',
  'Elu',
  'Sigmoid',
  'Mean',
  'Mul',
  'AddV2',
  'MaxPool',
  'AvgPool',
  'Reshape',
  'Softmax',
  'Identity',
  'Const',
];

describe('graph-model input', () => {
  it('the fixture uses every TF op the converter maps', () => {
    expect(new Set(graphFixture().nodes.map((n) => n.op))).toEqual(new Set([...MAPPED, 'Placeholder']));
  });

  it('converts a tfjs graph model and matches tfjs-converter at every node', async () => {
    const dir = join(root, 'ok');
    await writeGraphModel(dir, graphFixture());
    const exported = await exportCheckpoint(dir);
    const { result } = exported;
    expect(result.metadata.sourceFormat).toBe('graph-model');
    expect(result.model.graph.inputs[0].shape).toEqual(['N', 2, 9, 8]);
    expect(result.model.graph.outputs[0]).toMatchObject({ name: 'probabilities', shape: ['N', 3] });
    const names = result.model.graph.nodes.map((n) => n.name);
    expect(names).toContain('conv1/Conv2D');
    expect(names).toContain('conv1/Conv2D/Relu');
    const report = await checkParity(
      result,
      exported.reference(),
      [randomInputs(result.metadata.inputSize, 3, 9), randomInputs(result.metadata.inputSize, 2, 10)],
      { threads: 1 },
    );
    expect(report.layers.filter((l) => !l.passed)).toEqual([]);
    expect(report.layers.map((l) => l.className)).toEqual(
      expect.arrayContaining(MAPPED.filter((op) => op !== 'Const')),
    );
    const missing = pythonOnnxMissing();
    if (missing) console.log(`skipping the python3-onnx checker: ${missing}`);
    else expect(checkWithPythonOnnx({ graph: result.encode() })[0]).toMatch(/^ok /);
  });

  it('rejects an unmapped op by name before loading', async () => {
    const fixture = graphFixture();
    const node = fixture.nodes.find((n) => n.name === 'res/Relu');
    if (node) node.op = 'Selu';
    const dir = join(root, 'bad');
    await writeGraphModel(dir, fixture);
    await expect(exportCheckpoint(dir)).rejects.toThrow(/res\/Relu \(Selu\); supported ops: .*_FusedConv2D/);
  });
});
