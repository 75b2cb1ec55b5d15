/**
 * Which test images are the watch set of a `--dataset` probe. Training draws its watch set with the run's seed
 * (train/trainer/run-training.ts: `watchSetForSource(data, config.watchImages, config.seed)`) and records the
 * indices in manifest.json, so "the training run's watch set" is, in order of preference:
 * `--seed N` (drawn again with that seed), else the `watchSet` of the run the model lies in (DIR/model.onnx or
 * DIR/checkpoints/<k>/model.onnx) when that run trained on the same data set, else the training default seed.
 * The choice is stated in the probe's `source`, never silent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readManifest } from '../../run-folder/run-folder.js';

/** The training config's default seed (train/config.ts; test/probe/watch-choice.test.ts keeps them equal). */
export const DEFAULT_WATCH_SEED = 1234;

export type WatchChoice =
  | { kind: 'indices'; indices: number[]; from: string }
  | { kind: 'seed'; seed: number; from: string };

/** The run folder a model file lies in (its own folder or the run above checkpoints/<k>/), or null. */
export function runFolderOf(modelPath: string): string | null {
  const dir = dirname(resolve(modelPath));
  for (const candidate of [dir, join(dir, '..', '..')])
    if (existsSync(join(candidate, 'manifest.json'))) return resolve(candidate);
  return null;
}

export async function chooseWatchSet(
  modelPath: string,
  dataset: string,
  seed: number | undefined,
): Promise<WatchChoice> {
  if (seed !== undefined) return { kind: 'seed', seed, from: `--seed ${seed}` };
  const run = runFolderOf(modelPath);
  if (run) {
    const manifest = await readManifest(run);
    if (!manifest)
      throw new Error(`${join(run, 'manifest.json')} cannot be read; pass --seed N to choose the watch set yourself.`);
    const trainedOn = manifest.data?.name;
    if (manifest.watchSet && trainedOn === dataset) {
      return { kind: 'indices', indices: manifest.watchSet, from: `the watch set of run ${run} (manifest.json)` };
    }
    const configSeed = (manifest.config as { seed?: unknown } | null)?.seed;
    if (typeof configSeed === 'number')
      return {
        kind: 'seed',
        seed: configSeed,
        from: `seed ${configSeed} of run ${run} (trained on ${trainedOn ?? 'unknown data'})`,
      };
  }
  return {
    kind: 'seed',
    seed: DEFAULT_WATCH_SEED,
    from: `the training default seed ${DEFAULT_WATCH_SEED} (no run folder around the model; --seed N to choose)`,
  };
}
