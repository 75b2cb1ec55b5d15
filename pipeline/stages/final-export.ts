import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import {
  checkParity,
  exportLayersModel,
  layersReference,
  randomInputs,
  writeParityReport,
} from '../../export/index.js';
import type { ParityInput, ParityReport } from '../../export/index.js';
import type { DataSource } from '../../data/index.js';
import { readManifest, runPaths } from '../../train/index.js';
import { exportOptionsFrom } from './export-options.js';

/**
 * The final model: DIR/model.onnx, proven layer by layer against tfjs on random pixels and on the run's
 * watch images (parity.json). A failed proof is reported, not thrown: the report shows which layer drifted.
 */
export async function exportFinal(
  runDir: string,
  model: tf.LayersModel,
  data: DataSource,
  images: number,
): Promise<ParityReport> {
  const paths = runPaths(runDir);
  const manifest = await readManifest(runDir);
  const exported = exportLayersModel(model, exportOptionsFrom(manifest, runDir));
  await writeFileAtomic(paths.model, exported.encode());
  const { height, width, channels } = data.info;
  const watch = (manifest?.watchSet ?? []).slice(0, images);
  const inputs: ParityInput[] = [randomInputs({ height, width, channels }, images, 1, exported.metadata.preprocessing)];
  if (watch.length > 0) {
    const batch = await data.read('test', watch);
    inputs.push({ name: 'watch images', shape: [batch.count, height, width, channels], nhwc: batch.images });
  }
  const report = await checkParity(exported, layersReference(model, exported.layers), inputs);
  await writeParityReport(paths.parity, report);
  return report;
}
