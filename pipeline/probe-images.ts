import type { DataSource } from '../data/index.js';
import type { ImageSource } from '../probe/index.js';

/**
 * The probe set of a run: the watch images first (the probe treats the first `watch` images as watch
 * images), then further test images in index order up to `count`. Read batch by batch from the data source,
 * so memory does not grow with the count.
 */
export function probeImages(data: DataSource, watchSet: number[], count: number): ImageSource {
  const watched = new Set(watchSet);
  const indices = [...watchSet];
  for (let i = 0; indices.length < Math.min(count, data.info.testCount); i++) if (!watched.has(i)) indices.push(i);
  const { height, width, channels, name } = data.info;
  return {
    describe: `${name} test split (${indices.length} images, ${watchSet.length} watch images first)`,
    count: indices.length,
    async *batches(batchSize: number) {
      for (let start = 0; start < indices.length; start += batchSize) {
        const ids = indices.slice(start, start + batchSize);
        const batch = await data.read('test', ids);
        yield { pixels: batch.images, count: batch.count, height, width, channels, ids: ids.map((i) => `test[${i}]`) };
      }
    },
  };
}
