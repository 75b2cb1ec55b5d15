/**
 * The image-folder loader against training on the alexnet preset (64×64×3), side by side in one process:
 * a folder of 1500 JPEGs made by code, read in the trainer's pattern (batches of 64 in shuffled order).
 * `loader_img_s` is the loader alone decoding JPEGs, `loader_cached_img_s` the same from the decoded cache
 * (`npm run prepare-data`), `train_img_s_alexnet_memory` the training step on in-memory data, and
 * `train_from_folder_img_s` training while reading the folder with one batch prefetched, as the trainer does.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImageFolder } from '../../data/image-folder.js';
import type { DataSource } from '../../data/types.js';
import { prepareDecodedCache } from '../../data/prepare-data.js';
import { buildModel } from '../../train/models/index.js';
import { createOptimizer } from '../../train/trainer/optimizer.js';
import { EpochSampler } from '../../train/trainer/sampler.js';
import { createTrainStep } from '../../train/trainer/train-step.js';
import { writeJpegFolder } from '../data/jpeg-folder.js';
import { tfjsTrainImagesPerSecond } from './train-throughput.js';

const SIZE = { height: 64, width: 64, channels: 3 as const };
const ALEXNET = { preset: 'alexnet' as const, width: 0.0625, stemKernel: 5, stemStride: 2 };
const BATCH = 64;
const CLASSES = 10;

async function loaderImagesPerSecond(src: DataSource, seconds: number): Promise<number> {
  const sampler = new EpochSampler(src.info.trainCount, 1);
  await src.read('train', sampler.next(BATCH)); // warm-up: thread pool, file cache
  let images = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) images += (await src.read('train', sampler.next(BATCH))).count;
  return images / ((performance.now() - start) / 1000);
}

/** The trainer's loop (runTraining): step on batch k while batch k+1 is read. */
async function trainFromFolderImagesPerSecond(src: DataSource, seconds: number): Promise<number> {
  const { model, penalties } = buildModel({ ...SIZE, classes: CLASSES }, ALEXNET);
  const step = createTrainStep(model, penalties, CLASSES);
  const optimizer = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, 1e-3);
  const sampler = new EpochSampler(src.info.trainCount, 1);
  let next = src.read('train', sampler.next(BATCH));
  let images = 0;
  let start = 0;
  for (let s = 0; start === 0 || performance.now() - start < seconds * 1000; s++) {
    if (s === 3) start = performance.now(); // after warm-up steps
    const batch = await next;
    next = src.read('train', sampler.next(BATCH));
    const x = tf.tensor4d(batch.images, [batch.count, SIZE.height, SIZE.width, SIZE.channels]);
    const y = tf.tensor1d(batch.labels, 'int32');
    step.run(x, y, optimizer, s % 10 === 0);
    tf.dispose([x, y]);
    if (start > 0) images += batch.count;
  }
  await next;
  const rate = images / ((performance.now() - start) / 1000);
  optimizer.dispose();
  model.dispose();
  return rate;
}

export async function loaderFigures(seconds: number): Promise<Record<string, { value: number; note: string }>> {
  const dir = await mkdtemp(join(tmpdir(), 'actprobe-loader-bench-'));
  try {
    const root = join(dir, 'jpegs');
    await writeJpegFolder(root, CLASSES, 150, 160, 120);
    const quiet = { root, ...SIZE, holdout: 0.1, log: () => undefined };
    const decoding = await createImageFolder({ ...quiet, cacheDir: null });
    const oldDefault = await createImageFolder({ ...quiet, cacheDir: null, concurrency: 4 });
    const half = await createImageFolder({ ...quiet, cacheDir: null, concurrency: 32 });
    const prep = await prepareDecodedCache({ ...quiet, cacheDir: join(dir, 'cache') });
    const cached = await createImageFolder({ ...quiet, cacheDir: join(dir, 'cache') });
    const t = seconds / 2;
    const train = tfjsTrainImagesPerSecond(ALEXNET, { ...SIZE, classes: CLASSES }, BATCH, t);
    const loader = await loaderImagesPerSecond(decoding, t);
    const loaderCached = await loaderImagesPerSecond(cached, t);
    const fromFolder = await trainFromFolderImagesPerSecond(decoding, t);
    const fromFolderOld = await trainFromFolderImagesPerSecond(oldDefault, t);
    const fromFolderHalf = await trainFromFolderImagesPerSecond(half, t);
    const fromCache = await trainFromFolderImagesPerSecond(cached, t);
    await cached.close?.();
    const setup = `1500 JPEGs 160×120 → ${SIZE.height}×${SIZE.width}×3, batch ${BATCH}`;
    return {
      train_img_s_alexnet_memory: {
        value: train,
        note: `alexnet width 1/16 on in-memory data, ${CLASSES} classes, batch ${BATCH}`,
      },
      loader_img_s: { value: loader, note: `image-folder decoding JPEGs alone (${setup}, a whole batch in flight)` },
      loader_cached_img_s: {
        value: loaderCached,
        note: `image-folder from the decoded cache (prepare-data: ${prep.images} images in ${prep.seconds.toFixed(1)} s)`,
      },
      loader_over_train: {
        value: loader / train,
        note: 'loader_img_s / train_img_s_alexnet_memory (goal ≥ 2: the loader is never the bottleneck)',
      },
      loader_cached_over_train: {
        value: loaderCached / train,
        note: 'loader_cached_img_s / train_img_s_alexnet_memory',
      },
      train_from_folder_img_s: {
        value: fromFolder,
        note: "alexnet training while decoding the JPEG folder, one batch prefetched (the trainer's loop)",
      },
      train_from_folder_c4_img_s: {
        value: fromFolderOld,
        note: 'the same with 4 decodes in flight (the former default)',
      },
      train_from_folder_c32_img_s: { value: fromFolderHalf, note: 'the same with 32 decodes in flight (half a batch)' },
      train_from_cache_img_s: { value: fromCache, note: 'the same reading the decoded cache' },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
