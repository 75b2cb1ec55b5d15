import { stat } from 'node:fs/promises';
import {
  decodedCachePath,
  defaultDecodedCacheDir,
  fingerprint,
  openDecodedCache,
  writeDecodedCache,
} from './decoded-cache.js';
import { findBadImages, reportBadImages } from './image-check.js';
import { decodeImage, listImageFolder, resolveImageFolderOptions, type ImageFolderOptions } from './image-folder.js';

export interface PreparedCache {
  path: string;
  images: number;
  bad: number;
  bytes: number;
  seconds: number;
  /** False when a whole cache for these files and this size was already there. */
  written: boolean;
}

/**
 * Decodes every good image of an image folder once, at the training size, into the decoded cache that
 * `createImageFolder` then reads on every pass instead of the JPEGs (`npm run prepare-data`).
 */
export async function prepareDecodedCache(opts: ImageFolderOptions): Promise<PreparedCache> {
  const o = resolveImageFolderOptions(opts);
  const log = o.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const started = performance.now();
  const listing = await listImageFolder(o.root);
  const key = { height: o.height, width: o.width, channels: o.channels, paths: listing.all };
  const print = await fingerprint(key);
  const path = decodedCachePath(o.cacheDir ?? defaultDecodedCacheDir(), key, print);
  const existing = await openDecodedCache(path, key, print);
  if (existing.cache) {
    existing.cache.close();
    const bad = existing.cache.bad.length;
    return {
      path,
      images: listing.all.length - bad,
      bad,
      bytes: (await stat(path)).size,
      seconds: (performance.now() - started) / 1000,
      written: false,
    };
  }
  const bad = await findBadImages(listing.all, log);
  reportBadImages(bad, o.onBadImage, log);
  const total = listing.all.length - bad.length;
  let shown = performance.now();
  await writeDecodedCache(path, key, print, bad, (p) => decodeImage(p, o.height, o.width, o.channels), {
    concurrency: o.concurrency,
    onRow: (done) => {
      if (performance.now() - shown < 2000) return;
      shown = performance.now();
      log(`prepare-data: decoded ${done}/${total} images`);
    },
  });
  return {
    path,
    images: total,
    bad: bad.length,
    bytes: (await stat(path)).size,
    seconds: (performance.now() - started) / 1000,
    written: true,
  };
}
