import * as tf from '@tensorflow/tfjs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActivityPenalty } from '../models/index.js';
import type { RngState } from '../../data/rng.js';
import { writeDirAtomic } from '../../run-folder/fs-atomic.js';
import { loadModelFiles, saveModelFiles } from './model-files.js';

/** One optimizer slot variable as tfjs hands it out (tfjs does not export this type). */
export type OptimizerSlot = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/** Everything besides weights that `--resume` needs to continue exactly where a checkpoint left off. */
export interface TrainerState {
  version: 1;
  /** Mini-epochs completed when this checkpoint was written (0 = initial weights). */
  miniEpoch: number;
  imagesSeen: number;
  /** Which shuffled pass over the training split the sampler is in, and how far into it. */
  dataPass: number;
  cursor: number;
  augmentRng: RngState;
  scheduleIndex: number;
  lr: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd';
  /** Activity penalties of the model (not stored in model.json: tfjs-layers has no activity regularizers). */
  penalties: ActivityPenalty[];
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  optimizerWeights: OptimizerSlot[];
  state: TrainerState;
  dir: string;
}

export const checkpointsDir = (runDir: string): string => join(runDir, 'checkpoints');
export const checkpointDir = (runDir: string, miniEpoch: number): string =>
  join(checkpointsDir(runDir), String(miniEpoch));

/** Writes model, optimizer slots and trainer state into checkpoints/<miniEpoch>/ atomically (folder rename). */
export async function saveCheckpoint(
  runDir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainerState,
): Promise<string> {
  const dir = checkpointDir(runDir, state.miniEpoch);
  const slots = await optimizer.getWeights();
  await writeDirAtomic(dir, async (tmp) => {
    await saveModelFiles(model, tmp);
    const { data, specs } = await tf.io.encodeWeights(slots);
    await writeFile(join(tmp, 'optimizer.bin'), new Uint8Array(data as ArrayBuffer));
    await writeFile(join(tmp, 'optimizer.json'), JSON.stringify({ kind: state.optimizer, specs }));
    // Written last: its presence inside a renamed folder marks the checkpoint complete.
    await writeFile(join(tmp, 'trainer-state.json'), JSON.stringify(state, null, 1));
  });
  return dir;
}

/** Mini-epoch numbers of the complete checkpoints of a run, ascending (temp folders are ignored). */
export async function listCheckpoints(runDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(checkpointsDir(runDir));
  } catch {
    return [];
  }
  const done: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const ok = await readFile(join(checkpointsDir(runDir), name, 'trainer-state.json'), 'utf8').then(
      () => true,
      () => false,
    );
    if (ok) done.push(Number(name));
  }
  return done.sort((a, b) => a - b);
}

export async function loadCheckpoint(runDir: string, miniEpoch: number): Promise<LoadedCheckpoint> {
  const dir = checkpointDir(runDir, miniEpoch);
  const state = JSON.parse(await readFile(join(dir, 'trainer-state.json'), 'utf8')) as TrainerState;
  if (state.version !== 1)
    throw new Error(
      `${join(dir, 'trainer-state.json')}: unknown version ${String(state.version)} (this actprobe reads version 1)`,
    );
  const model = await loadModelFiles(dir);
  const meta = JSON.parse(await readFile(join(dir, 'optimizer.json'), 'utf8')) as {
    specs: tf.io.WeightsManifestEntry[];
  };
  const bytes = await readFile(join(dir, 'optimizer.bin'));
  const map = tf.io.decodeWeights(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    meta.specs,
  );
  // Keep the saved order: tfjs optimizers match slots to variables by position.
  const optimizerWeights = meta.specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
  return { model, optimizerWeights, state, dir };
}
