import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSynthetic } from '../../data/index.js';
import { LocalResponseNormalization } from '../../train/models/index.js';
import { saveModelFiles } from '../../train/trainer/model-files.js';
import { pythonOnnxMissing } from './helpers/onnx-checker.js';
import { randomizeWeights, useCpu } from './helpers/models.js';

type Sym = tf.SymbolicTensor;
const LABELS = ['cat', 'dog', 'bird'];
let root: string;

/** `npm run export -- …` without npm: node + tsx, as the npm script will run it. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'export/cli.ts', ...args], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function smallModel(extra?: (h: Sym) => Sym): tf.LayersModel {
  const x = tf.input({ name: 'input', shape: [12, 12, 3] });
  let h = tf.layers
    .conv2d({ name: 'conv1', filters: 6, kernelSize: 3, strides: 2, padding: 'same', useBias: false })
    .apply(x) as Sym;
  h = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(h) as Sym;
  h = tf.layers.activation({ name: 'conv1_relu', activation: 'relu' }).apply(h) as Sym;
  h = new LocalResponseNormalization({ name: 'lrn1' }).apply(h) as Sym;
  if (extra) h = extra(h);
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as Sym;
  const out = tf.layers.dense({ name: 'classifier', units: LABELS.length, activation: 'softmax' }).apply(h) as Sym;
  const model = tf.model({ name: 'cli_net', inputs: x, outputs: out });
  randomizeWeights(model, 3);
  return model;
}

beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'actprobe-export-cli-'));
  const run = join(root, 'run');
  for (const k of [1, 2]) {
    await mkdir(join(run, 'checkpoints', String(k)), { recursive: true });
    await saveModelFiles(smallModel(), join(run, 'checkpoints', String(k)));
  }
  const manifest = {
    config: {},
    backend: 'cpu',
    executionProvider: null,
    testAccuracy: null,
    stages: {},
    status: 'finished',
    versions: {},
    data: { name: 'toy', origin: 'test', classes: 3, labels: LABELS, height: 12, width: 12, channels: 3 },
    preprocessing: { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'RGB' },
  };
  await writeFile(join(run, 'manifest.json'), JSON.stringify(manifest));
  const images = join(root, 'images', 'class-a');
  await mkdir(images, { recursive: true });
  const batch = await createSynthetic({ height: 20, width: 16, channels: 3, classes: 3 }).read('test', [0, 1, 2]);
  for (let i = 0; i < 3; i++) {
    const px = Uint8Array.from(batch.images.subarray(i * 960, (i + 1) * 960), (v) => Math.round(v * 255));
    await sharp(px, { raw: { width: 16, height: 20, channels: 3 } })
      .png()
      .toFile(join(images, `${i}.png`));
  }
  const bad = join(root, 'bad');
  await mkdir(bad);
  await saveModelFiles(
    smallModel((h) => tf.layers.upSampling2d({ name: 'up', size: [2, 2] }).apply(h) as Sym),
    bad,
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('export CLI', () => {
  it('--help lists the contract flags', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--output', '--verify', '--triton', '--images', '--tolerance'])
      expect(r.stdout).toContain(flag);
  });

  it('exports the last checkpoint of a run folder, verifies it on random and real images, writes a Triton entry', async () => {
    const out = join(root, 'out');
    const r = cli(
      join(root, 'run'),
      '-o',
      join(out, 'model.onnx'),
      '--verify',
      '--images',
      join(root, 'images'),
      '--triton',
      join(root, 'triton'),
    );
    expect(r.stderr).not.toMatch(/^export:/m);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/checkpoints\/2 in /);
    expect(r.stdout).toMatch(/PASS/);
    const parity = JSON.parse(await readFile(join(out, 'parity.json'), 'utf8')) as {
      passed: boolean;
      inputs: Array<{ name: string; images: number }>;
      layers: Array<{ layer: string }>;
    };
    expect(parity.passed).toBe(true);
    expect(parity.inputs).toEqual([
      { name: 'random', images: 4 },
      { name: 'images', images: 3 },
    ]);
    expect(parity.layers.map((l) => l.layer)).toEqual([
      'conv1',
      'conv1_bn',
      'conv1_relu',
      'lrn1',
      'flatten',
      'classifier',
    ]);

    const onnx = await readFile(join(out, 'model.onnx'));
    const session = await ort.InferenceSession.create(onnx);
    expect([session.inputNames, session.outputNames]).toEqual([['input'], ['probabilities']]);
    const config = await readFile(join(root, 'triton', 'cli_net', 'config.pbtxt'), 'utf8');
    expect(config).toMatch(/dims: \[ 3, 12, 12 \]/);
    expect(config).toMatch(/dynamic_batching/);
    expect((await readFile(join(root, 'triton', 'cli_net', 'labels.txt'), 'utf8')).trim().split('\n')).toEqual(LABELS);
    expect(Buffer.compare(await readFile(join(root, 'triton', 'cli_net', '1', 'model.onnx')), onnx)).toBe(0);

    if (pythonOnnxMissing()) return;
    const props = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import onnx,sys,json; m=onnx.load(sys.argv[1]); print(json.dumps({p.key: p.value for p in m.metadata_props}))',
        join(out, 'model.onnx'),
      ],
      { encoding: 'utf8' },
    );
    const meta = JSON.parse(props.stdout) as Record<string, string>;
    expect(JSON.parse(meta.labels)).toEqual(LABELS);
    expect(JSON.parse(meta.preprocessing)).toMatchObject({ channelOrder: 'RGB', scale: 1 / 255 });
    expect(meta.source_run).toBe(join(root, 'run'));
    expect(JSON.parse(meta.layer_outputs)).toMatchObject({ conv1: 'conv1', classifier: 'probabilities' });
  });

  it('exits 1 and names the layers when parity is beyond tolerance', () => {
    const r = cli(
      join(root, 'run', 'checkpoints', '1'),
      '-o',
      join(root, 'strict', 'model.onnx'),
      '--verify',
      '--tolerance',
      '1e-15',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL/);
    expect(r.stderr).toMatch(/classifier \(Dense → probabilities\)/);
  });

  it('exits 2 naming the unsupported layer, its class and the supported list', () => {
    const r = cli(join(root, 'bad'), '-o', join(root, 'bad.onnx'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/up \(UpSampling2D\); supported classes: Activation, Add/);
  });
});
