/**
 * `--dataset NAME`: the test split of an actprobe data source. The watch images (the training run's fixed
 * watch set, chosen by watch-choice.ts) come first, then the first test images not among them.
 */
import { createDataSource, watchSetForSource, type DataSpec } from '../../data/index.js';
import { SHIPPED_PHOTOS_DIR } from '../cards/shipped.js';
import { folderSource } from './folder.js';
import type { ImageSource } from './source.js';
import { DEFAULT_WATCH_SEED, type WatchChoice } from './watch-choice.js';

/** `photos`: the seven photographs shipped with the reference (assets/reference/photos), the reference's natural input. */
export const PROBE_DATASETS = ['fashion-mnist', 'synthetic', 'photos'] as const;

export function photosSource(count = Infinity): Promise<ImageSource> {
  return folderSource(
    SHIPPED_PHOTOS_DIR,
    Number.isFinite(count) ? count : undefined,
    'dataset:photos (photographs shipped in assets/reference/photos)',
  );
}

export async function datasetSource(
  name: string,
  count: number,
  watch: number,
  choice: WatchChoice | number = DEFAULT_WATCH_SEED,
): Promise<ImageSource> {
  if (!(PROBE_DATASETS as readonly string[]).includes(name)) {
    throw new Error(
      `--dataset ${name} is not supported by the probe; use one of ${PROBE_DATASETS.join(', ')}, or --images DIR.`,
    );
  }
  if (name === 'photos') return photosSource(count);
  const source = await createDataSource({ name } as DataSpec);
  const { info } = source;
  const n = Math.min(count, info.testCount);
  const chosenBy: WatchChoice =
    typeof choice === 'number' ? { kind: 'seed', seed: choice, from: `seed ${choice}` } : choice;
  const watchIdx =
    chosenBy.kind === 'indices'
      ? chosenBy.indices.filter((i) => i < info.testCount).slice(0, Math.min(watch, n))
      : await watchSetForSource(source, Math.min(watch, n), chosenBy.seed);
  const chosen = new Set(watchIdx);
  const order = [...watchIdx];
  for (let i = 0; order.length < n && i < info.testCount; i++) if (!chosen.has(i)) order.push(i);
  return {
    describe: `dataset:${name} test split (${n} of ${info.testCount}, from ${info.origin}; watch images from ${chosenBy.from})`,
    count: n,
    async *batches(batchSize) {
      for (let i = 0; i < order.length; i += batchSize) {
        const idx = order.slice(i, i + batchSize);
        const b = await source.read('test', idx);
        yield {
          pixels: b.images,
          count: b.count,
          height: info.height,
          width: info.width,
          channels: info.channels,
          ids: idx.map((k) => `test[${k}]`),
        };
      }
      await source.close?.();
    },
  };
}
