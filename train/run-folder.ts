import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './trainer/fs-atomic.js';

/** Paths of a run folder (DESIGN.md "Run folder"): one place, so stages never spell them twice. */
export const runPaths = (dir: string) => ({
  manifest: join(dir, 'manifest.json'),
  metrics: join(dir, 'metrics.jsonl'),
  activations: join(dir, 'activations.jsonl'),
  checkpoints: join(dir, 'checkpoints'),
  model: join(dir, 'model.onnx'),
  parity: join(dir, 'parity.json'),
  compare: join(dir, 'compare.json'),
  diagnosis: join(dir, 'diagnosis.json'),
  report: join(dir, 'report.html'),
  failure: join(dir, 'failure.json'),
});

/** manifest.json: what ran and how long each stage took. Stages add fields; these keep their meaning. */
export interface RunManifest {
  config: unknown;
  /** tfjs backend that trained (tf.getBackend()), with what was tried. */
  backend: string | null;
  backendDetail?: string;
  /** onnxruntime execution provider that probed (set by the probe stage). */
  executionProvider: string | null;
  /** Final test top-1 accuracy, 0–1. */
  testAccuracy: number | null;
  /** Stage name → seconds. */
  stages: Record<string, number>;
  status: 'running' | 'finished' | 'failed';
  versions: Record<string, string>;
  data?: { name: string; origin: string; classes: number; labels: string[]; height: number; width: number; channels: number };
  /** Test-split indices of the fixed watch images. */
  watchSet?: number[];
  /** How the model's input is fed: pixels scaled to [0, 1] NHWC during training. */
  preprocessing?: { scale: number; mean: number[]; std: number[]; channelOrder: 'RGB' | 'L' };
  updatedAt?: string;
}

export async function readManifest(dir: string): Promise<RunManifest | null> {
  try {
    return JSON.parse(await readFile(runPaths(dir).manifest, 'utf8')) as RunManifest;
  } catch {
    return null;
  }
}

/** Merges `patch` into manifest.json (stages are merged key by key) and writes it atomically. */
export async function updateManifest(dir: string, patch: Partial<RunManifest>): Promise<RunManifest> {
  const base: RunManifest = (await readManifest(dir)) ?? {
    config: null,
    backend: null,
    executionProvider: null,
    testAccuracy: null,
    stages: {},
    status: 'running',
    versions: {},
  };
  const next: RunManifest = { ...base, ...patch, stages: { ...base.stages, ...(patch.stages ?? {}) }, updatedAt: new Date().toISOString() };
  await writeFileAtomic(runPaths(dir).manifest, JSON.stringify(next, null, 2));
  return next;
}

/** One JSON object per line; appended, never rewritten except by resume's truncation. */
export async function appendJsonLine(path: string, record: unknown): Promise<void> {
  await appendFile(path, `${JSON.stringify(record)}\n`);
}
