import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../train/backend/index.js';
import { listCheckpoints, loadCheckpoint } from '../../train/trainer/checkpoint.js';
import type { MiniEpochMetrics, NonFiniteRecord } from '../../train/trainer/metrics-record.js';
import { runTraining, TrainingStoppedError } from '../../train/trainer/run-training.js';
import { readManifest } from '../../run-folder/run-folder.js';
import { quickConfig, tempRunDir } from './run-helpers.js';

const quiet = { log: () => undefined };
const readLines = async (path: string): Promise<Array<MiniEpochMetrics & Partial<NonFiniteRecord>>> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MiniEpochMetrics & Partial<NonFiniteRecord>);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('trainer on the wasm backend', () => {
  it('learns the synthetic task and writes metrics, checkpoints and the manifest', async () => {
    const out = await tempRunDir('train');
    const hooks: number[] = [];
    const result = await runTraining(quickConfig({ miniEpochImages: 2048 }), {
      out,
      ...quiet,
      onCheckpoint: async (e) => void hooks.push(e.miniEpoch),
    });
    expect(hooks).toEqual([0, 1, 2, 3]);
    expect(await listCheckpoints(out)).toEqual([0, 1, 2, 3]);
    const lines = await readLines(join(out, 'metrics.jsonl'));
    expect(lines.map((l) => l.miniEpoch)).toEqual([1, 2, 3]);
    expect(lines[2].imagesSeen).toBe(6144);
    expect(lines[0].trainLoss).toBeLessThan(Math.log(4) + 0.2);
    // Chance is 0.25 on 4 classes; 6144 images took this net to 0.977–1.0 in five runs (3072: 0.53–0.94, too
    // close to a threshold with unseeded initial weights).
    expect(result.testAccuracy).toBeGreaterThan(0.8);
    expect(lines[2].testAccuracy).toBe(result.testAccuracy);
    const conv1 = lines[2].layers.find((l) => l.layer === 'conv1');
    expect(conv1).toBeDefined();
    expect(conv1!.gradNorm).toBeGreaterThan(0);
    expect(conv1!.weightNorm).toBeGreaterThan(0);
    expect(conv1!.updateRatio).toBeGreaterThan(1e-5);
    expect(conv1!.updateRatio).toBeLessThan(1);
    expect(lines[2].layers.map((l) => l.layer)).toEqual(['conv1', 'conv2', 'classifier']);
    const manifest = await readManifest(out);
    expect(manifest?.watchSet).toHaveLength(4);
    expect(manifest?.data?.name).toBe('synthetic');
  });

  it('refuses to overwrite a run without --resume, and resume continues from the last checkpoint', async () => {
    const out = await tempRunDir('resume');
    await runTraining(quickConfig({ miniEpochs: 2 }), { out, ...quiet });
    await expect(runTraining(quickConfig(), { out, ...quiet })).rejects.toThrow(/already holds a run.*--resume/);
    const before = await loadCheckpoint(out, 2);
    const iterations = before.optimizerWeights.find((w) => w.name === 'iter')!.tensor.dataSync()[0];
    expect(iterations).toBe(16);
    await runTraining(quickConfig({ miniEpochs: 3 }), { out, resume: true, ...quiet });
    const lines = await readLines(join(out, 'metrics.jsonl'));
    expect(lines.map((l) => l.miniEpoch)).toEqual([1, 2, 3]);
    expect(lines[2].imagesSeen).toBe(768);
    const after = await loadCheckpoint(out, 3);
    expect(after.state.cursor).toBe(768 % 512);
    expect(after.optimizerWeights.find((w) => w.name === 'iter')!.tensor.dataSync()[0]).toBe(24);
  });

  it('follows the schedule: learning rate and batch size change by mini-epoch, Adam state carries over', async () => {
    const out = await tempRunDir('schedule');
    const config = quickConfig({
      schedule: [
        { from: 0, lr: 2e-3, batchSize: 32 },
        { from: 2, lr: 5e-4, batchSize: 64 },
      ],
    });
    await runTraining(config, { out, ...quiet });
    const lines = await readLines(join(out, 'metrics.jsonl'));
    expect(lines.map((l) => [l.lr, l.batchSize])).toEqual([
      [2e-3, 32],
      [2e-3, 32],
      [5e-4, 64],
    ]);
    const last = await loadCheckpoint(out, 3);
    expect(last.state.lr).toBe(5e-4);
    expect(last.optimizerWeights.find((w) => w.name === 'iter')!.tensor.dataSync()[0]).toBe(8 + 8 + 4);
  });

  it('stops within one step on NaN/Inf, says where, and keeps the last good checkpoint loadable', async () => {
    const out = await tempRunDir('nan');
    // Adam moves every weight by about lr whatever the gradient: 1e30 overflows float32 activations by step 2.
    const config = quickConfig({ schedule: [{ from: 0, lr: 1e30, batchSize: 32 }] });
    await expect(runTraining(config, { out, ...quiet })).rejects.toBeInstanceOf(TrainingStoppedError);
    const failure = JSON.parse(await readFile(join(out, 'failure.json'), 'utf8')) as NonFiniteRecord;
    expect(['loss', 'gradient', 'weights']).toContain(failure.where);
    expect(failure.step).toBeGreaterThanOrEqual(1);
    const lines = await readLines(join(out, 'metrics.jsonl'));
    expect(lines[lines.length - 1].event).toBe('non-finite');
    const good = await listCheckpoints(out);
    expect(good[good.length - 1]).toBe(failure.lastGoodCheckpoint);
    const ck = await loadCheckpoint(out, failure.lastGoodCheckpoint);
    for (const w of ck.model.getWeights()) expect(tf.all(tf.isFinite(w)).dataSync()[0]).toBe(1);
    expect((await readManifest(out))?.status).toBe('failed');
  });

  it('validates the config with the field path in the error', () => {
    expect(() => quickConfig({ schedule: [{ from: 1, lr: 1e-3, batchSize: 32 }] })).toThrow(/schedule.*from: 0/);
    expect(() => quickConfig({ miniEpochImages: -5 })).toThrow(/miniEpochImages/);
  });
});
