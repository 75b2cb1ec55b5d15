import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import { join } from 'node:path';
import { exportLayersModel } from '../../export/index.js';
import { appendActivations, probeModel, readActivations } from '../../probe/index.js';
import { readManifest, runPaths, updateManifest } from '../../train/index.js';
import type { CheckpointEvent } from '../../train/index.js';
import type { PipelineConfig } from '../config.js';
import { probeImages } from '../probe-images.js';
import { exportOptionsFrom } from './export-options.js';

/**
 * The hook the trainer calls after each checkpoint: export it to `checkpoints/<k>/model.onnx` and probe it
 * on the run's probe set, appending one line to activations.jsonl. Returns the seconds it took.
 */
export function probeEachCheckpoint(
  runDir: string,
  config: PipelineConfig,
  log: (line: string) => void,
): { hook: (e: CheckpointEvent) => Promise<void>; seconds: () => number; provider: () => string | null } {
  let seconds = 0;
  let provider: string | null = null;
  const hook = async (e: CheckpointEvent): Promise<void> => {
    if (e.resumed && (await keepActivationsUpTo(runDir, e.miniEpoch))) return;
    const started = performance.now();
    const manifest = await readManifest(runDir);
    const exported = exportLayersModel(e.model, exportOptionsFrom(manifest, runDir, e.dir));
    const onnxPath = join(e.dir, 'model.onnx');
    await writeFileAtomic(onnxPath, exported.encode());
    const result = await probeModel({
      model: onnxPath,
      source: probeImages(e.data, manifest?.watchSet ?? [], config.probe.images),
      watch: manifest?.watchSet?.length ?? 0,
      batchSize: config.probe.batchSize,
      session: { ep: config.probe.ep },
      miniEpoch: e.miniEpoch,
    });
    await appendActivations(runPaths(runDir).activations, result);
    if (provider !== result.executionProvider) {
      provider = result.executionProvider;
      await updateManifest(runDir, { executionProvider: provider });
    }
    const took = (performance.now() - started) / 1000;
    seconds += took;
    log(
      `probe: checkpoint ${e.miniEpoch} exported and probed (${result.layers.length} layers, ${result.images} images, onnxruntime ${result.executionProvider}) in ${took.toFixed(1)} s`,
    );
  };
  return { hook, seconds: () => seconds, provider: () => provider };
}

/**
 * On resume: drops activations.jsonl lines of mini-epochs after the checkpoint training restarts from (they
 * belong to the interrupted part) and says whether that checkpoint itself was already probed.
 */
async function keepActivationsUpTo(runDir: string, miniEpoch: number): Promise<boolean> {
  const path = runPaths(runDir).activations;
  const lines = await readActivations(path).catch(() => []);
  const kept = lines.filter((l) => (l.miniEpoch ?? 0) <= miniEpoch);
  if (kept.length !== lines.length) await writeFileAtomic(path, kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return kept.some((l) => l.miniEpoch === miniEpoch);
}
