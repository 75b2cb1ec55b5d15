import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { Rng } from './rng.js';
import type { LabelledDataSource } from './labelled.js';
import type { Batch, DatasetInfo, Split } from './types.js';
import {
  defaultDecodedCacheDir,
  decodedCachePath,
  fingerprint,
  openDecodedCache,
  type DecodedCache,
} from './decoded-cache.js';
import { findBadImages, reportBadImages, type OnBadImage } from './image-check.js';
import { scanClasses } from './image-scan.js';
import { checkIndices, definedOnly, mapConcurrent, mix32 } from './util.js';

export interface ImageFolderOptions {
  root: string;
  height?: number;
  width?: number;
  channels?: 1 | 3;
  /** Fraction of each class held out for test when the root has no train/ + test/ (or val/) folders. */
  holdout?: number;
  seed?: number;
  /** Images in flight at once (decodes queued on Node's thread pool). */
  concurrency?: number;
  /** A damaged file found by the up-front check: refuse the folder (default) or train without it. */
  onBadImage?: OnBadImage;
  /** Where `npm run prepare-data` keeps decoded caches; null never uses one. */
  cacheDir?: string | null;
  log?: (line: string) => void;
}

/**
 * concurrency 256: every read queues a whole batch's decodes at once (each waits in libuv's queue, not in
 * memory), so they all run on the thread pool while the training step holds the JavaScript thread; with 4
 * in flight only 4 images were decoded per step (152–168 img/s trained on alexnet 64×64 from JPEGs against
 * 382–468 in memory), and with fewer in flight than a batch the rest waits for the step to end.
 */
export const IMAGE_FOLDER_DEFAULTS = {
  height: 32,
  width: 32,
  channels: 3,
  holdout: 0.2,
  seed: 0,
  concurrency: 256,
  onBadImage: 'error',
} as const;

interface Example {
  path: string;
  label: number;
}

export interface ImageFolderListing {
  classes: string[];
  /** Class name -> files, for `train` and (split layout only) `test`. */
  train: Map<string, string[]>;
  test: Map<string, string[]> | null;
  /** Every image file, in scan order (the decoded cache's fingerprint and row order). */
  all: string[];
}

type Resolved = Required<Omit<ImageFolderOptions, 'cacheDir' | 'log'>> & Pick<ImageFolderOptions, 'cacheDir' | 'log'>;

export function resolveImageFolderOptions(opts: ImageFolderOptions): Resolved {
  const o = { ...IMAGE_FOLDER_DEFAULTS, ...definedOnly(opts), root: opts.root };
  for (const f of ['height', 'width', 'concurrency'] as const) {
    if (!Number.isInteger(o[f]) || o[f] < 1)
      throw new RangeError(`image-folder ${f} must be a positive integer, got ${o[f]}.`);
  }
  if (o.channels !== 1 && o.channels !== 3)
    throw new RangeError(`image-folder channels must be 1 or 3, got ${o.channels}.`);
  if (!(o.holdout >= 0 && o.holdout < 1))
    throw new RangeError(`image-folder holdout must be in [0, 1), got ${o.holdout}.`);
  if (o.onBadImage !== 'error' && o.onBadImage !== 'skip')
    throw new RangeError(`image-folder onBadImage must be "error" or "skip", got ${String(o.onBadImage)}.`);
  return o;
}

/** The folder's classes and files: `root/train` + `root/test|val` when both exist, else `root/<class>`. */
export async function listImageFolder(root: string): Promise<ImageFolderListing> {
  if (!(await isDir(root)))
    throw new Error(`image-folder root ${root} is not a directory; point "root" at a folder of <class>/ sub-folders.`);
  const testDir = (await isDir(join(root, 'test'))) ? 'test' : (await isDir(join(root, 'val'))) ? 'val' : null;
  if (testDir && (await isDir(join(root, 'train')))) {
    const train = await scanClasses(join(root, 'train'));
    const test = await scanClasses(join(root, testDir), { allowEmpty: true });
    const stray = [...test.keys()].filter((c) => !train.has(c));
    if (stray.length)
      throw new Error(
        `image-folder: ${join(root, testDir)} has class folder(s) ${stray.join(', ')} that ${join(root, 'train')} lacks; add them to train or remove them.`,
      );
    return { classes: [...train.keys()], train, test, all: [...train.values(), ...test.values()].flat() };
  }
  const all = await scanClasses(root);
  return { classes: [...all.keys()], train: all, test: null, all: [...all.values()].flat() };
}

const stderrLog = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * `root/<class>/*.{jpg,jpeg,png,webp}`. Every file's header is checked up front (data.onBadImage). Reads
 * come from the decoded cache when `npm run prepare-data` made one for this folder and size; otherwise each
 * `read` decodes, resizes (shorter side to fit, then centre crop) and normalises its images with sharp.
 */
export async function createImageFolder(opts: ImageFolderOptions): Promise<LabelledDataSource> {
  const o = resolveImageFolderOptions(opts);
  const log = o.log ?? stderrLog;
  const listing = await listImageFolder(o.root);
  const { height, width, channels } = o;
  const key = { height, width, channels, paths: listing.all };
  let cache: DecodedCache | null = null;
  if (o.cacheDir !== null) {
    const print = await fingerprint(key);
    const opened = await openDecodedCache(
      decodedCachePath(o.cacheDir ?? defaultDecodedCacheDir(), key, print),
      key,
      print,
    );
    cache = opened.cache;
    log(
      cache
        ? `image-folder: reading decoded cache ${cache.path} (${height}×${width}×${channels})`
        : `image-folder: decoding images on every pass (${opened.why}; \`npm run prepare-data -- --config FILE\` makes one)`,
    );
  }
  const bad = cache ? cache.bad : await findBadImages(listing.all, log);
  reportBadImages(bad, o.onBadImage, log);
  const skip = new Set(bad.map((b) => b.path));
  const keep = (m: Map<string, string[]>): Map<string, string[]> =>
    new Map([...m].map(([c, files]) => [c, files.filter((f) => !skip.has(f))]));
  const train = keep(listing.train);
  const emptied = [...train].filter(([, files]) => files.length === 0).map(([c]) => c);
  if (emptied.length)
    throw new Error(
      `image-folder: class(es) ${emptied.join(', ')} have no good images left after skipping the damaged ones; add images or remove the folder(s).`,
    );
  const { classes } = listing;
  const splits: Record<Split, Example[]> = listing.test
    ? { train: toExamples(train, classes), test: toExamples(keep(listing.test), classes) }
    : holdoutSplit(train, classes, o.holdout, o.seed);
  const info: DatasetInfo = {
    name: 'image-folder',
    height,
    width,
    channels,
    classes: classes.length,
    labels: classes,
    trainCount: splits.train.length,
    testCount: splits.test.length,
    origin: o.root,
    classCounts: {
      train: countPerClass(splits.train, classes.length),
      test: countPerClass(splits.test, classes.length),
    },
  };
  const size = height * width * channels;
  const rowOf = new Map(listing.all.filter((p) => !skip.has(p)).map((p, i) => [p, i]));
  const fromCache = cache;
  return {
    info,
    async read(split: Split, indices: ArrayLike<number>): Promise<Batch> {
      const list = splits[split];
      checkIndices('image-folder', split, indices, list.length);
      const labels = Int32Array.from(indices, (ix) => list[ix].label);
      if (fromCache) {
        const bytes = new Uint8Array(indices.length * size);
        for (let i = 0; i < indices.length; i++) fromCache.readRow(rowOf.get(list[indices[i]].path)!, bytes, i * size);
        return { images: toUnit(bytes), labels, count: indices.length };
      }
      const images = new Float32Array(indices.length * size);
      // Every decode of the batch is queued at once (up to `concurrency`), so they proceed on the thread pool
      // while the caller's training step holds the JavaScript thread.
      await mapConcurrent(Array.from(indices), o.concurrency, async (ix, i) => {
        const pixels = await decodeImage(list[ix].path, height, width, channels);
        images.set(toUnit(pixels), i * size);
      });
      return { images, labels, count: indices.length };
    },
    async labels(split: Split): Promise<Int32Array> {
      return Int32Array.from(splits[split], (e) => e.label);
    },
    async close() {
      fromCache?.close();
    },
  };
}

function toUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let k = 0; k < bytes.length; k++) out[k] = bytes[k] / 255;
  return out;
}

/** Decodes one image to `height x width x channels` uint8 HWC, naming the file on any failure. */
export async function decodeImage(path: string, height: number, width: number, channels: 1 | 3): Promise<Uint8Array> {
  let out: { data: Buffer; info: OutputInfo };
  try {
    let img = sharp(path).autoOrient().resize({ width, height, fit: 'cover', position: 'centre' }).removeAlpha();
    img = channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
    out = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (err) {
    // libvips repeats its warnings line after line; the first says enough.
    throw new Error(
      `image-folder: cannot decode ${path} (${(err as Error).message.split('\n')[0]}); the image is corrupt or not a JPEG/PNG, so delete or replace it.`,
    );
  }
  const { info, data } = out;
  if (info.channels !== channels || data.length !== height * width * channels) {
    throw new Error(
      `image-folder: ${path} decoded to ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x${channels}; re-save it as 8-bit RGB or greyscale.`,
    );
  }
  return data;
}

function countPerClass(examples: Example[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const e of examples) counts[e.label]++;
  return counts;
}

function toExamples(byClass: Map<string, string[]>, classes: string[]): Example[] {
  return classes.flatMap((c, label) => (byClass.get(c) ?? []).map((path) => ({ path, label })));
}

/**
 * Holds out a per-class fraction chosen by a seeded shuffle of the sorted file list, so the split
 * is identical on every run and machine and each class with 2+ images lands in both splits.
 */
function holdoutSplit(
  byClass: Map<string, string[]>,
  classes: string[],
  fraction: number,
  seed: number,
): Record<Split, Example[]> {
  const train: Example[] = [];
  const test: Example[] = [];
  classes.forEach((c, label) => {
    const files = [...(byClass.get(c) ?? [])];
    new Rng(mix32(seed, label)).shuffle(files);
    let nTest = Math.round(files.length * fraction);
    if (fraction > 0 && files.length >= 2) nTest = Math.min(files.length - 1, Math.max(1, nTest));
    const held = new Set(files.slice(0, nTest));
    for (const path of byClass.get(c) ?? []) (held.has(path) ? test : train).push({ path, label });
  });
  return { train, test };
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
