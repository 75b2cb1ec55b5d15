/** A run's state and progress for the live page's status line, from the files alone (cheap: no activations parse). */
import { readFile } from 'node:fs/promises';
import { runStatus, type RunStatus } from '../../pipeline/compare-runs/run-status.js';
import { readManifest, runPaths } from '../../run-folder/run-folder.js';

export interface LiveStatus extends RunStatus {
  /** Mini-epochs with metrics so far, and how many the config asks for. */
  miniEpoch: number | null;
  miniEpochs: number | null;
  testAccuracy: number | null;
}

interface EpochLine {
  miniEpoch: number;
  seconds?: number;
  testAccuracy?: number | null;
}

export async function liveStatus(dir: string, stallFloor?: number): Promise<LiveStatus> {
  const manifest = await readManifest(dir);
  const text = await readFile(runPaths(dir).metrics, 'utf8').catch(() => '');
  const epochs: EpochLine[] = [];
  for (const line of text.split('\n')) {
    try {
      const v = JSON.parse(line) as Partial<EpochLine> & { event?: string };
      if (!v.event && typeof v.miniEpoch === 'number') epochs.push(v as EpochLine);
    } catch {
      // the line being written right now, or an empty one
    }
  }
  const status = await runStatus(dir, manifest?.status, epochs, Date.now(), stallFloor);
  const config = manifest?.config as { miniEpochs?: number } | null | undefined;
  const last = epochs[epochs.length - 1];
  return {
    ...status,
    miniEpoch: last?.miniEpoch ?? null,
    miniEpochs: config?.miniEpochs ?? null,
    testAccuracy: last?.testAccuracy ?? manifest?.testAccuracy ?? null,
  };
}
