import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage } from '../../data/index.js';
import type { Preprocessing } from '../../onnx/metadata.js';

/** One batch the parity check feeds to both runtimes, in tfjs' NHWC order. */
export interface ParityInput {
  name: string;
  shape: [number, number, number, number];
  nhwc: Float32Array;
}

export interface ImageSize {
  height: number;
  width: number;
  channels: number;
}

const DEFAULT_PREPROCESSING = (channels: number): Preprocessing => ({
  scale: 1 / 255,
  mean: new Array<number>(channels).fill(0),
  std: new Array<number>(channels).fill(1),
  channelOrder: channels === 1 ? 'L' : 'RGB',
});

/** RGB bytes → model input, as the trainer fed it: (p·scale − mean[c]) / std[c], channels swapped for BGR models. */
function preprocess(bytes: ArrayLike<number>, channels: number, p: Preprocessing): Float32Array {
  const out = new Float32Array(bytes.length);
  const bgr = p.channelOrder === 'BGR' && channels === 3;
  for (let i = 0; i < bytes.length; i++) {
    const c = i % channels;
    const src = bgr ? i - c + (2 - c) : i;
    out[i] = (bytes[src] * p.scale - (p.mean[c] ?? 0)) / (p.std[c] ?? 1);
  }
  return out;
}

/** Uniform random pixels (seeded, so a failing parity.json can be reproduced), preprocessed like real ones. */
export function randomInputs(
  size: ImageSize,
  count: number,
  seed = 1,
  p: Preprocessing = DEFAULT_PREPROCESSING(size.channels),
): ParityInput {
  let s = seed >>> 0;
  const bytes = new Uint8Array(count * size.height * size.width * size.channels);
  for (let i = 0; i < bytes.length; i++) {
    // mulberry32: a tiny, well-mixed 32-bit generator.
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    bytes[i] = ((t ^ (t >>> 14)) >>> 0) % 256;
  }
  return {
    name: 'random',
    shape: [count, size.height, size.width, size.channels],
    nhwc: preprocess(bytes, size.channels, p),
  };
}

const IMAGE = /\.(png|jpe?g)$/i;

/** Up to `limit` PNG/JPEG files of `dir` (and its class sub-folders), decoded and resized as training does. */
export async function imageInputs(
  dir: string,
  size: ImageSize,
  p: Preprocessing = DEFAULT_PREPROCESSING(size.channels),
  limit = 16,
): Promise<ParityInput> {
  const files: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isFile() && IMAGE.test(e.name)) files.push(join(dir, e.name));
    else if (e.isDirectory())
      files.push(
        ...(await readdir(join(dir, e.name)))
          .filter((n) => IMAGE.test(n))
          .sort()
          .map((n) => join(dir, e.name, n)),
      );
  }
  const chosen = files.slice(0, limit);
  if (chosen.length === 0) throw new Error(`--images ${dir}: no .png/.jpg files there or in its sub-folders`);
  if (size.channels !== 1 && size.channels !== 3)
    throw new Error(
      `--images: the model takes ${size.channels} channels; only 1 (greyscale) or 3 (RGB) can be decoded`,
    );
  const pixels = size.height * size.width * size.channels;
  const bytes = new Uint8Array(chosen.length * pixels);
  for (let i = 0; i < chosen.length; i++)
    bytes.set(await decodeImage(chosen[i], size.height, size.width, size.channels), i * pixels);
  return {
    name: 'images',
    shape: [chosen.length, size.height, size.width, size.channels],
    nhwc: preprocess(bytes, size.channels, p),
  };
}
