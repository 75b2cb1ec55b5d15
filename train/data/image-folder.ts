import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { Rng } from '../rng.js';
import type { LabelledDataSource } from './labelled.js';
import type { Batch, DatasetInfo, Split } from './types.js';
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
  /** Images decoded at once per `read`. */
  concurrency?: number;
}

export const IMAGE_FOLDER_DEFAULTS = { height: 32, width: 32, channels: 3, holdout: 0.2, seed: 0, concurrency: 4 } as const;

interface Example { path: string; label: number }

/**
 * `root/<class>/*.{jpg,jpeg,png}`. Only paths are kept in memory; each `read` decodes, resizes
 * (shorter side to fit, then centre crop) and normalises its images with sharp.
 */
export async function createImageFolder(opts: ImageFolderOptions): Promise<LabelledDataSource> {
  const o = { ...IMAGE_FOLDER_DEFAULTS, ...definedOnly(opts), root: opts.root };
  for (const f of ['height', 'width', 'concurrency'] as const) {
    if (!Number.isInteger(o[f]) || o[f] < 1) throw new RangeError(`image-folder ${f} must be a positive integer, got ${o[f]}.`);
  }
  if (o.channels !== 1 && o.channels !== 3) throw new RangeError(`image-folder channels must be 1 or 3, got ${o.channels}.`);
  if (!(o.holdout >= 0 && o.holdout < 1)) throw new RangeError(`image-folder holdout must be in [0, 1), got ${o.holdout}.`);
  if (!(await isDir(o.root))) throw new Error(`image-folder root ${o.root} is not a directory; point "root" at a folder of <class>/ sub-folders.`);

  const testDir = (await isDir(join(o.root, 'test'))) ? 'test' : (await isDir(join(o.root, 'val'))) ? 'val' : null;
  let classes: string[];
  let splits: Record<Split, Example[]>;
  if (testDir && (await isDir(join(o.root, 'train')))) {
    const train = await scanClasses(join(o.root, 'train'));
    classes = [...train.keys()];
    const test = await scanClasses(join(o.root, testDir), { allowEmpty: true });
    const stray = [...test.keys()].filter((c) => !train.has(c));
    if (stray.length) throw new Error(`image-folder: ${join(o.root, testDir)} has class folder(s) ${stray.join(', ')} that ${join(o.root, 'train')} lacks; add them to train or remove them.`);
    splits = { train: toExamples(train, classes), test: toExamples(test, classes) };
  } else {
    const all = await scanClasses(o.root);
    classes = [...all.keys()];
    splits = holdoutSplit(all, classes, o.holdout, o.seed);
  }
  const { height, width, channels } = o;
  const info: DatasetInfo = {
    name: 'image-folder', height, width, channels, classes: classes.length, labels: classes,
    trainCount: splits.train.length, testCount: splits.test.length, origin: o.root,
    classCounts: { train: countPerClass(splits.train, classes.length), test: countPerClass(splits.test, classes.length) },
  };
  const size = height * width * channels;
  return {
    info,
    async read(split: Split, indices: ArrayLike<number>): Promise<Batch> {
      const list = splits[split];
      checkIndices('image-folder', split, indices, list.length);
      const images = new Float32Array(indices.length * size);
      const labels = new Int32Array(indices.length);
      await mapConcurrent(Array.from(indices), o.concurrency, async (ix, i) => {
        const pixels = await decodeImage(list[ix].path, height, width, channels);
        const dst = i * size;
        for (let k = 0; k < size; k++) images[dst + k] = pixels[k] / 255;
        labels[i] = list[ix].label;
      });
      return { images, labels, count: indices.length };
    },
    async labels(split: Split): Promise<Int32Array> {
      return Int32Array.from(splits[split], (e) => e.label);
    },
  };
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
    throw new Error(`image-folder: cannot decode ${path} (${(err as Error).message.split('\n')[0]}); the image is corrupt or not a JPEG/PNG, so delete or replace it.`);
  }
  const { info, data } = out;
  if (info.channels !== channels || data.length !== height * width * channels) {
    throw new Error(`image-folder: ${path} decoded to ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x${channels}; re-save it as 8-bit RGB or greyscale.`);
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
function holdoutSplit(byClass: Map<string, string[]>, classes: string[], fraction: number, seed: number): Record<Split, Example[]> {
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
  return stat(path).then((s) => s.isDirectory(), () => false);
}
