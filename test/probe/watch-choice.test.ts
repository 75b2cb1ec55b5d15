import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WATCH_SEED } from '../../probe/input/watch-choice.js';
import type { ImageSource } from '../../probe/input/source.js';
import { makeSource } from '../../probe/run/probe-command.js';
import { parseTrainConfig } from '../../train/config.js';
import { createDataSource, watchSetForSource } from '../../data/index.js';

const WATCH = 6;

async function firstIds(source: ImageSource, n: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const b of source.batches(n, { height: 16, width: 16, channels: 1 })) {
    ids.push(...b.ids);
    break;
  }
  return ids.slice(0, n);
}

async function trainingWatchSet(seed: number): Promise<string[]> {
  const data = await createDataSource({ name: 'synthetic' });
  return (await watchSetForSource(data, WATCH, seed)).map((i) => `test[${i}]`);
}

/** A run folder as training leaves it: manifest.json with the config's seed, the data set and its watch set. */
function runFolder(seed: number, data: string, watchSet: number[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'actprobe-watch-'));
  mkdirSync(join(dir, 'checkpoints', '3'), { recursive: true });
  const info = {
    name: data,
    origin: 'test',
    classes: 10,
    labels: Array.from({ length: 10 }, (_, i) => String(i)),
    height: 28,
    width: 28,
    channels: 1,
  };
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ config: { seed }, data: info, watchSet, stages: {}, status: 'finished' }),
  );
  return dir;
}

describe("the standalone probe's --dataset watch set", () => {
  const source = (model: string, seed?: number) =>
    makeSource({ model, dataset: 'synthetic', seed, count: 20, watch: WATCH });

  it("is the training run's own watch set when the model lies in a run folder", async () => {
    const run7 = await trainingWatchSet(7);
    const dir = runFolder(
      7,
      'synthetic',
      run7.map((id) => Number(id.slice(5, -1))),
    );
    const s = await source(join(dir, 'checkpoints', '3', 'model.onnx'));
    expect(await firstIds(s, WATCH)).toEqual(run7);
    expect(s.describe).toContain(`watch set of run ${dir}`);
    // The run's final model (DIR/model.onnx) finds the same manifest.
    expect(await firstIds(await source(join(dir, 'model.onnx')), WATCH)).toEqual(run7);
  });

  it("uses the run's seed when the run trained on another data set, and --seed over everything", async () => {
    const dir = runFolder(7, 'fashion-mnist', [0, 1, 2, 3, 4, 5]);
    const s = await source(join(dir, 'model.onnx'));
    expect(await firstIds(s, WATCH)).toEqual(await trainingWatchSet(7));
    expect(s.describe).toContain('seed 7 of run');
    expect(await firstIds(await source(join(dir, 'model.onnx'), 99), WATCH)).toEqual(await trainingWatchSet(99));
  });

  it('falls back to the training default seed outside a run folder, and says so', async () => {
    expect(DEFAULT_WATCH_SEED).toBe(parseTrainConfig({}).seed);
    const s = await source(join(tmpdir(), 'no-run-here', 'model.onnx'));
    expect(await firstIds(s, WATCH)).toEqual(await trainingWatchSet(DEFAULT_WATCH_SEED));
    expect(s.describe).toContain('training default seed');
    // Seeds choose different sets here, so the assertions above can tell them apart.
    expect(await trainingWatchSet(0)).not.toEqual(await trainingWatchSet(DEFAULT_WATCH_SEED));
  });
});
