/**
 * Serve fixtures made by code: small tfjs models exported to ONNX in run folders (tfjs is used here only;
 * serve/ never imports it), and image bytes, good and bad.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { exportLayersModel } from '../../export/index.js';
import type { Preprocessing } from '../../export/index.js';
import { buildModel, parseModelSpec } from '../../train/models/index.js';

import { runPaths, updateManifest } from '../../run-folder/run-folder.js';
import { randomizeWeights } from '../export/helpers/models.js';

export interface FixtureSpec {
  preset: 'tiny' | 'model-m';
  height: number;
  width: number;
  channels: 1 | 3;
  labels: string[];
  preprocessing: Preprocessing;
  seed?: number;
}

export const GRAY: FixtureSpec = {
  preset: 'tiny',
  height: 28,
  width: 28,
  channels: 1,
  labels: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  // Non-trivial mean/std so a normalisation slip changes the answer.
  preprocessing: { scale: 1 / 255, mean: [0.4], std: [0.3], channelOrder: 'L' },
};

export const RGB: FixtureSpec = {
  preset: 'tiny',
  height: 16,
  width: 12,
  channels: 3,
  labels: ['red', 'green', 'blue', 'grey'],
  preprocessing: { scale: 1 / 255, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3], channelOrder: 'RGB' },
  seed: 11,
};

let backendReady: Promise<boolean> | null = null;

/** Writes DIR/model.onnx and DIR/manifest.json for `spec`; returns DIR. */
export async function makeRunFolder(dir: string, spec: FixtureSpec): Promise<string> {
  backendReady ??= tf.setBackend('cpu');
  await backendReady;
  await mkdir(dir, { recursive: true });
  const { model } = buildModel(
    { height: spec.height, width: spec.width, channels: spec.channels, classes: spec.labels.length },
    parseModelSpec({ preset: spec.preset }),
  );
  randomizeWeights(model, spec.seed ?? 7);
  const onnx = exportLayersModel(model, {
    labels: spec.labels,
    preprocessing: spec.preprocessing,
    sourceRun: dir,
  }).encode();
  model.dispose();
  await writeFile(runPaths(dir).model, onnx);
  await updateManifest(dir, { status: 'finished', testAccuracy: null, stages: { train: 1 } });
  return dir;
}

export const tempDir = (label: string): Promise<string> => mkdtemp(join(tmpdir(), `actprobe-serve-${label}-`));

/** HWC bytes of a deterministic gradient-and-stripes picture: varied enough that classes get different scores. */
export function pixels(width: number, height: number, channels: 1 | 3, seed = 0): Uint8Array {
  const px = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++)
        px[(y * width + x) * channels + c] = (x * 9 + y * 5 + c * 70 + seed * 31 + ((x ^ y) & 4) * 20) % 256;
    }
  }
  return px;
}

/** `pixels(…)` as a PNG (lossless, so the server must decode back exactly these bytes). */
export async function pngImage(width: number, height: number, channels: 1 | 3, seed = 0): Promise<Buffer> {
  const px = pixels(width, height, channels, seed);
  // Without b-w, sharp writes a one-channel raw image as an RGB PNG.
  const img = sharp(px, { raw: { width, height, channels } });
  return (channels === 1 ? img.toColourspace('b-w') : img).png().toBuffer();
}

export async function jpegImage(width: number, height: number): Promise<Buffer> {
  return sharp(await pngImage(width, height, 3, 1))
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A valid PNG whose header claims `width`×`height` (IHDR CRC recomputed): the decompression-bomb case. */
export async function giantPng(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await pngImage(4, 4, 1));
  // Signature (8) + IHDR length (4) + "IHDR" (4): width and height follow, then the CRC over type+data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

export async function truncatedPng(): Promise<Buffer> {
  const png = await pngImage(64, 64, 3, 2);
  return png.subarray(0, Math.floor(png.length * 0.6));
}
