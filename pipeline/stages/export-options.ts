import type { ExportOptions } from '../../export/index.js';
import type { RunManifest } from '../../train/index.js';

/** Labels and preprocessing an exported model carries, from the run manifest (the trainer wrote them). */
export function exportOptionsFrom(manifest: RunManifest | null, runDir: string, checkpointDir?: string): ExportOptions {
  const p = manifest?.preprocessing;
  return {
    labels: manifest?.data?.labels,
    preprocessing: p ? { scale: p.scale, mean: p.mean, std: p.std, channelOrder: p.channelOrder } : undefined,
    sourceRun: runDir,
    ...(checkpointDir ? { sourceCheckpoint: checkpointDir } : {}),
  };
}
