/**
 * What a run folder says about itself while or after it trains: finished (manifest status + report),
 * failed (failure.json, or a manifest marked failed), running, or stalled (running, but nothing written for
 * longer than a few mini-epochs should take). Read from files only, so it holds for a run started anywhere.
 */
import { stat } from 'node:fs/promises';
import { runPaths } from '../../run-folder/run-folder.js';

export type RunState = 'finished' | 'failed' | 'running' | 'stalled' | 'not started';

export interface RunStatus {
  state: RunState;
  /** Newest write to the files that grow while training (ms since epoch), or null when none exist. */
  lastWriteMs: number | null;
  /** Why the state was chosen, in words (shown beside it). */
  detail: string;
}

/** Stalled after this many seconds without a write, or three mini-epochs' time if that is longer. */
export const STALL_FLOOR_SECONDS = 120;

const mtime = async (p: string): Promise<number | null> => (await stat(p).catch(() => null))?.mtimeMs ?? null;

export async function runStatus(
  dir: string,
  manifestStatus: string | undefined,
  epochs: ReadonlyArray<{ seconds?: number | null }> | null,
  now = Date.now(),
  stallFloor = STALL_FLOOR_SECONDS,
): Promise<RunStatus> {
  const p = runPaths(dir);
  const times = (await Promise.all([p.manifest, p.metrics, p.activations, p.report, p.failure].map(mtime))).filter(
    (t): t is number => t !== null,
  );
  const lastWriteMs = times.length ? Math.max(...times) : null;
  if ((await mtime(p.failure)) !== null)
    return { state: 'failed', lastWriteMs, detail: 'failure.json: training stopped on NaN/Inf' };
  if (manifestStatus === 'failed') return { state: 'failed', lastWriteMs, detail: 'manifest.json says failed' };
  if (manifestStatus === 'finished' && (await mtime(p.report)) !== null)
    return { state: 'finished', lastWriteMs, detail: 'report.html written' };
  if (lastWriteMs === null) return { state: 'not started', lastWriteMs, detail: 'no manifest.json yet' };
  const perEpoch = epochs?.map((e) => e.seconds ?? 0).filter((s) => s > 0) ?? [];
  const typical = perEpoch.length ? Math.max(...perEpoch) : 0;
  const limit = Math.max(stallFloor, 3 * typical);
  const quiet = (now - lastWriteMs) / 1000;
  if (quiet > limit)
    return {
      state: 'stalled',
      lastWriteMs,
      detail: `nothing written for ${Math.round(quiet)} s (limit ${Math.round(limit)} s)`,
    };
  return { state: 'running', lastWriteMs, detail: `last write ${Math.round(quiet)} s ago` };
}
