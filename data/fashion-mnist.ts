import { createHash } from 'node:crypto';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ChecksumError, downloadVerified } from './download.js';
import { readIdx, type IdxTensor } from './idx.js';
import type { LabelledDataSource } from './labelled.js';
import type { DatasetInfo, Split } from './types.js';
import { applyLimit, checkIndices, gatherUint8 } from './util.js';
import { readSettings, settings, type Env } from '../settings/index.js';

export const FASHION_MNIST_LABELS = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
export const FASHION_MNIST_BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
export const FASHION_MNIST_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

export type FashionMnistFile = 'train-images' | 'train-labels' | 't10k-images' | 't10k-labels';
/**
 * `md5`: the published checksum of the .gz download. `rawMd5`: of the decompressed IDX bytes, computed from
 * Debian's dataset-fashion-mnist (0.0~git20200523.55506a9-1), whose .gz files are recompressed (other MD5s)
 * around the same bytes; it lets a gunzipped or repacked copy be verified too.
 */
export const FASHION_MNIST_FILES: Record<FashionMnistFile, { name: string; md5: string; rawMd5: string }> = {
  'train-images': {
    name: 'train-images-idx3-ubyte.gz',
    md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    rawMd5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
  },
  'train-labels': {
    name: 'train-labels-idx1-ubyte.gz',
    md5: '25c81989df183df01b3e8a0aad5dffbe',
    rawMd5: '9018921c3c673c538a1fc5bad174d6f9',
  },
  't10k-images': {
    name: 't10k-images-idx3-ubyte.gz',
    md5: 'bef4ecab320f06d8554ea6380940ec79',
    rawMd5: '8181f5470baa50b63fa0f6fddb340f0a',
  },
  't10k-labels': {
    name: 't10k-labels-idx1-ubyte.gz',
    md5: 'bb300cfdad3c16e7a12a480ee83cd310',
    rawMd5: '15d484375f8d13e6eb1aabb0c3f46965',
  },
};
const KEYS = Object.keys(FASHION_MNIST_FILES) as FashionMnistFile[];

export interface FashionMnistOptions {
  /** Directory holding the four files; defaults to $ACTPROBE_DATA (or its fashion-mnist/ sub-folder). */
  dataDir?: string;
  /** Where downloads go; defaults to $XDG_CACHE_HOME/actprobe/fashion-mnist or ~/.cache/actprobe/fashion-mnist. */
  cacheDir?: string;
  /** Distribution package location; `null` skips it. */
  systemDir?: string | null;
  baseUrl?: string;
  /** Overrides the official MD5s of the .gz files (tests serve their own tiny files). */
  checksums?: Partial<Record<FashionMnistFile, string>>;
  /** Overrides the MD5s of the decompressed IDX bytes (`rawMd5`). */
  rawChecksums?: Partial<Record<FashionMnistFile, string>>;
  download?: boolean;
  limitTrain?: number;
  limitTest?: number;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export function defaultCacheDir(env?: Env): string {
  return join((env === undefined ? settings() : readSettings(env)).userCacheHome, 'actprobe', 'fashion-mnist');
}

export async function createFashionMnist(opts: FashionMnistOptions = {}): Promise<LabelledDataSource> {
  const files = await locateFiles(opts);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(KEYS.map((k) => readIdx(files[k])));
  const train = checkPair(trainImages, trainLabels, files['train-images'], files['train-labels']);
  const test = checkPair(testImages, testLabels, files['t10k-images'], files['t10k-labels']);
  if (train.h !== test.h || train.w !== test.w) {
    throw new Error(
      `${files['t10k-images']} holds ${test.h}x${test.w} images but ${files['train-images']} holds ${train.h}x${train.w}; both must come from the same dataset.`,
    );
  }
  const trainCount = applyLimit(train.n, opts.limitTrain, 'fashion-mnist limitTrain');
  const testCount = applyLimit(test.n, opts.limitTest, 'fashion-mnist limitTest');
  const exampleSize = train.h * train.w;
  const info: DatasetInfo = {
    name: 'fashion-mnist',
    height: train.h,
    width: train.w,
    channels: 1,
    classes: FASHION_MNIST_LABELS.length,
    labels: [...FASHION_MNIST_LABELS],
    trainCount,
    testCount,
    origin: dirname(files['train-images']),
  };
  const splits = {
    train: { pixels: trainImages.data, labels: trainLabels.data, count: trainCount },
    test: { pixels: testImages.data, labels: testLabels.data, count: testCount },
  };
  return {
    info,
    async read(split: Split, indices: ArrayLike<number>) {
      const s = splits[split];
      checkIndices('fashion-mnist', split, indices, s.count);
      return gatherUint8(s.pixels, s.labels, exampleSize, indices);
    },
    async labels(split: Split) {
      return Int32Array.from(splits[split].labels.subarray(0, splits[split].count));
    },
  };
}

function checkPair(
  images: IdxTensor,
  labels: IdxTensor,
  imageFile: string,
  labelFile: string,
): { n: number; h: number; w: number } {
  if (images.dims.length !== 3)
    throw new Error(`${imageFile} must be a 3-D IDX tensor [count, height, width], got [${images.dims.join(', ')}].`);
  if (labels.dims.length !== 1)
    throw new Error(`${labelFile} must be a 1-D IDX tensor [count], got [${labels.dims.join(', ')}].`);
  const [n, h, w] = images.dims;
  if (labels.dims[0] !== n)
    throw new Error(
      `${labelFile} has ${labels.dims[0]} labels but ${imageFile} has ${n} images; the files belong to different splits or versions.`,
    );
  const bad = labels.data.findIndex((l) => l >= FASHION_MNIST_LABELS.length);
  if (bad >= 0) throw new Error(`${labelFile}: label ${labels.data[bad]} at index ${bad} is outside 0..9.`);
  return { n, h, w };
}

/** Finds a directory holding all four files (.gz or already gunzipped), else downloads into the cache. */
async function locateFiles(opts: FashionMnistOptions): Promise<Record<FashionMnistFile, string>> {
  const env = opts.env === undefined ? settings() : readSettings(opts.env);
  const userDir = opts.dataDir ?? env.dataDir;
  const cacheDir = opts.cacheDir ?? defaultCacheDir(opts.env);
  const systemDir = opts.systemDir === undefined ? FASHION_MNIST_SYSTEM_DIR : opts.systemDir;
  const candidates = [userDir && join(userDir, 'fashion-mnist'), userDir, cacheDir, systemDir].filter(
    (d): d is string => !!d,
  );
  for (const dir of candidates) {
    const found = await filesIn(dir);
    if (KEYS.every((k) => found[k])) {
      await verifyFound(found as Record<FashionMnistFile, string>, opts);
      return found as Record<FashionMnistFile, string>;
    }
  }
  if (opts.download === false) throw notFound(candidates, 'downloading is disabled (download: false)');
  const found = await filesIn(cacheDir);
  const base = (opts.baseUrl ?? FASHION_MNIST_BASE_URL).replace(/\/?$/, '/');
  // Without a log the first run would sit silent for the whole ~30 MB download.
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  for (const k of KEYS) {
    if (found[k]) continue;
    const { name, md5 } = FASHION_MNIST_FILES[k];
    const dest = join(cacheDir, name);
    log(`fashion-mnist: downloading ${base}${name} -> ${dest}`);
    try {
      await downloadVerified(base + name, dest, { md5: opts.checksums?.[k] ?? md5 });
    } catch (err) {
      if (err instanceof ChecksumError) throw err;
      throw notFound(candidates, `downloading ${base}${name} failed (${describe(err)})`);
    }
    found[k] = dest;
  }
  return found as Record<FashionMnistFile, string>;
}

/**
 * Every file found on disk is checked on every load (≈ 0.2 s for the four): a .gz against the published MD5
 * or, failing that, its decompressed bytes against `rawMd5`; a gunzipped file against `rawMd5`. A damaged or
 * different file is an error naming it, never data trained on quietly or swapped for another set.
 */
async function verifyFound(found: Record<FashionMnistFile, string>, opts: FashionMnistOptions): Promise<void> {
  const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
  for (const k of KEYS) {
    const path = found[k];
    const gzExpected = (opts.checksums?.[k] ?? FASHION_MNIST_FILES[k].md5).toLowerCase();
    const rawExpected = (opts.rawChecksums?.[k] ?? FASHION_MNIST_FILES[k].rawMd5).toLowerCase();
    const s = await stat(path);
    // A pipeline loads the set several times (availability check, training, probe): verify each file once.
    const seen = `${s.size}:${s.mtimeMs}:${gzExpected}:${rawExpected}`;
    if (verified.get(path) === seen) continue;
    const stored = await readFile(path);
    if (path.endsWith('.gz') && md5(stored) === gzExpected) {
      verified.set(path, seen);
      continue;
    }
    let raw: Uint8Array;
    try {
      raw = path.endsWith('.gz') ? gunzipSync(stored) : stored;
    } catch (e) {
      throw new ChecksumError(
        `${path} is not a readable gzip file (${(e as Error).message}); delete it so it is downloaded again, or reinstall dataset-fashion-mnist.`,
      );
    }
    const actual = md5(raw);
    if (actual !== rawExpected) {
      throw new ChecksumError(
        `Checksum mismatch for ${path}: MD5 of its IDX bytes ${actual}, expected ${rawExpected} (Fashion-MNIST ${FASHION_MNIST_FILES[k].name}). ` +
          'The file is damaged or from another data set; delete it so it is downloaded again, or reinstall dataset-fashion-mnist.',
      );
    }
    verified.set(path, seen);
  }
}

/** Files verified in this process: path -> size, mtime and the checksums they matched. */
const verified = new Map<string, string>();

async function filesIn(dir: string): Promise<Partial<Record<FashionMnistFile, string>>> {
  const found: Partial<Record<FashionMnistFile, string>> = {};
  for (const k of KEYS) {
    const gz = join(dir, FASHION_MNIST_FILES[k].name);
    for (const path of [gz, gz.slice(0, -3)]) {
      if (await exists(path)) {
        found[k] = path;
        break;
      }
    }
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { message?: string } };
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : String(e.message ?? err);
}

/** The data set is not on this machine (as opposed to present but damaged): the one case a caller may fall back from. */
export class DatasetNotFoundError extends Error {}

function notFound(searched: string[], why: string): Error {
  return new DatasetNotFoundError(
    `Fashion-MNIST not found in ${searched.join(', ')} and ${why}. ` +
      'Install it with `apt-get install dataset-fashion-mnist`, or put the four *-ubyte(.gz) files in a directory ' +
      'and set ACTPROBE_DATA to it, or use the "synthetic" data source.',
  );
}
