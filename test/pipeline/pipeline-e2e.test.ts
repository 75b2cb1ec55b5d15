import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportLayersModel } from '../../export/index.js';
import { compareSchema, parseProbeResult } from '../../probe/index.js';
import { selectBackend } from '../../train/backend/index.js';
import { buildModel } from '../../train/models/index.js';
import type { RunManifest } from '../../train/index.js';

const root = new URL('../../', import.meta.url).pathname;
const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** A structure-only AlexNet-topology reference (random weights, labelled so), exported by our own exporter. */
async function writeStructureOnlyReference(dir: string): Promise<string> {
  await selectBackend('wasm');
  const { model } = buildModel(
    { height: 63, width: 63, channels: 3, classes: 10 },
    { preset: 'alexnet', width: 0.0625, stemKernel: 5, stemStride: 2, dropout: 0 },
  );
  await writeFile(join(dir, 'alexnet-structure.onnx'), exportLayersModel(model).encode());
  model.dispose();
  const card = {
    name: 'alexnet-structure',
    description: 'AlexNet topology, random weights',
    pretrained: false,
    label: 'structure only, not pretrained',
    file: 'alexnet-structure.onnx',
    input: {
      name: 'input',
      height: 63,
      width: 63,
      channels: 3,
      channelOrder: 'RGB',
      scale: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    },
    output: { name: 'probabilities', kind: 'probabilities' },
    classes: 10,
  };
  const cardPath = join(dir, 'alexnet-structure.json');
  await writeFile(cardPath, JSON.stringify(card));
  return cardPath;
}

describe('npm run pipeline, end to end on a small synthetic run', () => {
  let out = '';
  let stdout = '';
  let stderr = '';
  let status: number | null = null;
  let dir = '';
  let configPath = '';
  let card = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'actprobe-pipeline-'));
    card = await writeStructureOnlyReference(dir);
    out = join(dir, 'run');
    const config = join(dir, 'config.json');
    configPath = config;
    await writeFile(
      config,
      JSON.stringify({
        data: { name: 'synthetic', classes: 4, height: 16, width: 16, channels: 1, trainCount: 1024, testCount: 128 },
        model: { preset: 'seednet', width: 0.125, dropout: 0 },
        schedule: [{ from: 0, lr: 3e-3, batchSize: 32 }],
        miniEpochImages: 512,
        miniEpochs: 2,
        watchImages: 4,
        probe: { images: 64, batchSize: 32 },
        // No reference given: the default (bvlcalexnet-12) is not in this empty cache, so the shipped SqueezeNet runs.
        parityImages: 4,
      }),
    );
    const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['pipeline/cli.ts', '--config', config, '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, ACTPROBE_REFERENCE_CACHE: dir },
    });
    ({ stdout, stderr, status } = run);
  }, 300_000);

  it('exits 0 and prints the summary table', () => {
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/test accuracy\s+[01]\.\d{4}\s+\(synthetic, 128 test images\)/);
    expect(stdout).toMatch(/onnxruntime EP\s+cpu/);
    expect(stdout).toMatch(/export parity\s+PASS/);
    expect(stdout).toMatch(
      /reference\s+pretrained: squeezenet1\.1 \(shipped with the project\), because bvlcalexnet-12 is not in the cache/,
    );
    expect(stdout).toMatch(
      /magnitudes\s+ours max \S+ vs squeezenet1\.1 \d+: expected \(batch norm in ours, none in the reference\)/,
    );
    expect(stdout).toContain(join(out, 'report.html'));
  });

  it('writes the run folder of DESIGN.md', async () => {
    for (const f of [
      'manifest.json',
      'metrics.jsonl',
      'activations.jsonl',
      'model.onnx',
      'parity.json',
      'compare.json',
      'diagnosis.json',
      'report.html',
    ]) {
      expect(await exists(join(out, f)), f).toBe(true);
    }
    for (const k of [0, 1, 2]) {
      for (const f of ['model.json', 'weights.bin', 'model.onnx'])
        expect(await exists(join(out, 'checkpoints', String(k), f)), `checkpoints/${k}/${f}`).toBe(true);
    }
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as RunManifest;
    expect(manifest.backend).toBe(tf.getBackend());
    expect(manifest.executionProvider).toBe('cpu');
    expect(manifest.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(manifest.testAccuracy).toBeLessThanOrEqual(1);
    expect(manifest.status).toBe('finished');
    expect(Object.keys(manifest.stages)).toEqual(
      expect.arrayContaining(['train', 'probe', 'export', 'compare', 'diagnosis', 'report']),
    );
  });

  it('probes every checkpoint into activations.jsonl with Keras layer names and the DESIGN.md channel arrays', async () => {
    const lines = (await readFile(join(out, 'activations.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => parseProbeResult(JSON.parse(l)));
    expect(lines.map((l) => l.miniEpoch)).toEqual([0, 1, 2]);
    const last = lines[2];
    expect(last.images).toBe(64);
    expect(last.watchImages).toHaveLength(4);
    const names = last.layers.map((l) => l.name);
    // With BN the tap closing a conv block is its activation layer (conv1 → conv1_bn → conv1_relu).
    expect(names).toEqual(expect.arrayContaining(['conv1_relu', 'conv9_relu', 'se1_excite', 'fc1']));
    const conv1 = last.layers.find((l) => l.name === 'conv1_relu')!;
    const channels = conv1.shape[1];
    for (const k of ['min', 'max', 'mean', 'std', 'zeroFraction'] as const)
      expect(conv1.channels[k]).toHaveLength(channels);
  });

  it('proves the final export layer by layer', async () => {
    const parity = JSON.parse(await readFile(join(out, 'parity.json'), 'utf8')) as {
      passed: boolean;
      layers: unknown[];
    };
    expect(parity.passed).toBe(true);
    expect(parity.layers.length).toBeGreaterThan(20);
  });

  it('compares with the pretrained SqueezeNet on its photos and on our images, and the report shows it', async () => {
    const c = compareSchema.parse(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')));
    expect(c.reference).toMatchObject({ card: 'squeezenet1.1', pretrained: true });
    expect(c.reference.label).toBeUndefined();
    const matched = c.rows.filter((r) => r.reference !== null);
    expect(matched.length).toBeGreaterThanOrEqual(9);
    // seednet has batch norm, SqueezeNet none: its small ratios are the architecture's, never "much smaller".
    expect(c.oursBatchNorm).toBe(true);
    expect(matched.map((r) => r.verdict)).not.toContain('much smaller');
    const m = c.magnitudes!;
    expect(m.reference.images).toBe(7);
    expect(m.reference.source).toMatch(/photos/);
    expect(Math.max(...m.reference.points.map((p) => p.max ?? 0))).toBeGreaterThan(300);
    expect(m.referenceOnOurs.images).toBe(64);
    expect(m.ours.map((p) => p.miniEpoch)).toEqual([0, 2]);
    expect(m.verdict.status).toBe('smaller by design');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      expect(await page.locator('p.reference strong').textContent()).toBe('pretrained');
      expect(await page.locator('.magnitude-verdict').textContent()).toMatch(/vs squeezenet1\.1 \d+: expected/);
      const marks = await page.$$eval('[data-plot^="magnitude-"] .role-mark path', (els) => els.length);
      expect(marks).toBeGreaterThan(30);
      await page.locator('#magnitudes').screenshot({ path: join(out, 'magnitudes.png') });
    } finally {
      await browser.close();
    }
  });

  it('--resume continues a finished run with more mini-epochs, probing each checkpoint exactly once', async () => {
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { miniEpochs: number };
    const longer = join(dir, 'config-longer.json');
    // The resumed run compares with a random-weight stand-in instead: it must be labelled so, never pretrained.
    await writeFile(longer, JSON.stringify({ ...config, miniEpochs: 3, reference: card }));
    const run = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      ['pipeline/cli.ts', '--config', longer, '--out', out, '--resume', '--allow-config-change'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 240_000,
        env: { ...process.env, ACTPROBE_REFERENCE_CACHE: dir },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/resuming from checkpoint 2/);
    expect(run.stderr).toMatch(
      /resuming with a changed config \(recorded in manifest\.json\): miniEpochs 2 → 3, reference /,
    );
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as RunManifest;
    expect(manifest.configChanges?.map((c) => [c.fromCheckpoint, c.fields])).toEqual([
      [
        2,
        [
          { path: 'miniEpochs', recorded: 2, given: 3 },
          { path: 'reference', recorded: 'bvlcalexnet-12', given: card },
        ],
      ],
    ]);
    expect(manifest.status).toBe('finished');
    const lines = (await readFile(join(out, 'activations.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => parseProbeResult(JSON.parse(l)));
    expect(lines.map((l) => l.miniEpoch)).toEqual([0, 1, 2, 3]);
    const metrics = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { miniEpoch: number }).miniEpoch);
    expect(metrics).toEqual([1, 2, 3]);
    const c = compareSchema.parse(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')));
    expect(c.reference).toMatchObject({
      card: 'alexnet-structure',
      pretrained: false,
      label: 'structure only, not pretrained',
    });
    expect(run.stdout).toMatch(/reference\s+structure only, not pretrained: the config's reference alexnet-structure/);
  }, 300_000);

  it('--resume on a finished run that was stopped before its report writes the report, and nothing else', async () => {
    const report = join(out, 'report.html');
    const before = await readFile(report, 'utf8');
    const manifest = await readFile(join(out, 'manifest.json'), 'utf8');
    await rm(report);
    const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['pipeline/cli.ts', '--out', out, '--resume'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`is a finished run without its report: wrote ${report}`);
    // Same run, same sections (only the generation time in the header differs).
    const after = await readFile(report, 'utf8');
    expect(after.length).toBeGreaterThan(before.length * 0.95);
    expect(after).toContain('Magnitudes against depth');
    expect(await readFile(join(out, 'manifest.json'), 'utf8')).toBe(manifest);
  }, 150_000);
});
