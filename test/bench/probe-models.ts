/**
 * The models the probe section times, each written to `dir` as an ONNX file:
 *   model M (the project's own benchmark net, 28×28×1) through the project's exporter;
 *   the shipped pretrained SqueezeNet 1.1 (assets/reference), its batch dimension made symbolic
 *   (dynamic-batch.ts) so plain inference and the probe both run batch 16;
 *   AlexNet's structure at 224×224×3, 1000 classes (the `alexnet` preset at width 1, random weights: timing
 *   depends on shapes, not values) through the project's exporter, as a user's AlexNet would be probed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportLayersModel } from '../../export/index.js';
import { buildModel } from '../../train/models/index.js';
import type { InputSpec, ModelSpecInput } from '../../train/models/index.js';
import { withDynamicBatch } from './dynamic-batch.js';

export const SQUEEZENET_PATH = fileURLToPath(new URL('../../assets/reference/squeezenet1.1.onnx', import.meta.url));

export async function exportPreset(dir: string, file: string, input: InputSpec, spec: ModelSpecInput): Promise<string> {
  const { model } = buildModel(input, spec);
  const path = join(dir, file);
  await writeFile(path, exportLayersModel(model).encode());
  model.dispose();
  return path;
}

export const modelM = (dir: string): Promise<string> =>
  exportPreset(dir, 'model-m.onnx', { height: 28, width: 28, channels: 1, classes: 10 }, { preset: 'model-m' });

export const alexnet224 = (dir: string): Promise<string> =>
  exportPreset(dir, 'alexnet-224.onnx', { height: 224, width: 224, channels: 3, classes: 1000 }, { preset: 'alexnet' });

export async function squeezenetDynamic(dir: string): Promise<string> {
  const path = join(dir, 'squeezenet1.1-dynamic.onnx');
  await writeFile(path, withDynamicBatch(new Uint8Array(await readFile(SQUEEZENET_PATH)), SQUEEZENET_PATH));
  return path;
}
