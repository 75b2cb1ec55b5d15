/** One run folder reduced to what the comparison page shows; works on a run that is still being written. */
import { basename } from 'node:path';
import { readMetrics, type TrainingHistory } from '../../probe/index.js';
import type { ProbeResult } from '../../probe/schema.js';
import { loadRunInputs } from '../report/inputs.js';
import { readManifest } from '../../run-folder/run-folder.js';
import type { MetricsLine } from '../report/schemas.js';
import { firstFired, type FirstFired } from './first-fired.js';
import { runStatus, type RunStatus } from './run-status.js';

export interface LayerPoint {
  miniEpoch: number;
  std: number | null;
  p99: number | null;
}

export interface RunSummary {
  name: string;
  dir: string;
  status: RunStatus;
  config: unknown;
  classes: number | undefined;
  epochs: MetricsLine[];
  /** Layer name → its activation std and p99 per probed mini-epoch, in depth order. */
  layers: Map<string, LayerPoint[]>;
  /** Layer name → role (conv, fc, se-gate…), for choosing which layers to plot. */
  roles: Map<string, string>;
  finalAccuracy: number | null;
  finalLoss: number | null;
  seconds: number | null;
  headlines: string[];
  fired: FirstFired[];
  /** Files that could not be read, with why (shown in the row, never hidden). */
  problems: string[];
}

const emptyHistory: TrainingHistory = { epochs: [], nonFinite: [] };

export async function loadRunSummary(dir: string, name = basename(dir), now = Date.now()): Promise<RunSummary> {
  const run = await loadRunInputs(dir);
  const problems: string[] = [];
  for (const l of [run.manifest, run.metrics, run.activations, run.diagnosis])
    if (l.status === 'invalid') problems.push(`${l.file}: ${l.error.split('\n')[0]}`);
  const manifest = run.manifest.status === 'ok' ? run.manifest.value : null;
  const epochs = run.metrics.status === 'ok' ? run.metrics.value.epochs : [];
  const probes: ProbeResult[] = run.activations.status === 'ok' ? run.activations.value : [];
  // The report's manifest schema keeps only what the report shows; the config comes from the whole file.
  const full = await readManifest(dir);
  const layers = new Map<string, LayerPoint[]>();
  const roles = new Map<string, string>();
  for (const p of probes) {
    for (const l of p.layers) {
      if (!layers.has(l.name)) layers.set(l.name, []);
      roles.set(l.name, l.role);
      layers.get(l.name)?.push({ miniEpoch: p.miniEpoch ?? 0, std: l.summary.std, p99: l.summary.p99 });
    }
  }
  const history =
    run.metrics.status === 'ok' ? await readMetrics(`${dir}/metrics.jsonl`).catch(() => emptyHistory) : emptyHistory;
  const classes = manifest?.data?.classes;
  const last = epochs[epochs.length - 1];
  const diagnosis = run.diagnosis.status === 'ok' ? run.diagnosis.value : null;
  const fired = firstFired(history, probes, classes);
  return {
    name,
    dir,
    status: await runStatus(
      dir,
      manifest?.status,
      history.epochs.map((e) => ({ seconds: typeof e.seconds === 'number' ? e.seconds : null })),
      now,
    ),
    config: full?.config ?? null,
    classes,
    epochs,
    layers,
    roles,
    finalAccuracy: last?.testAccuracy ?? manifest?.testAccuracy ?? null,
    finalLoss: last ? (last.testLoss ?? last.trainLoss) : null,
    // Stage times are written as each stage ends: 0 means none has ended yet.
    seconds: manifest ? Object.values(manifest.stages).reduce((a, b) => a + b, 0) || null : null,
    // The run's own diagnosis when written; while it trains, the rules' findings so far.
    headlines: diagnosis
      ? diagnosis.findings.map((f) => `${f.title}${f.where ? ` (${f.where})` : ''}`)
      : fired.map((f) => `${f.title} (so far)`),
    fired,
    problems,
  };
}
