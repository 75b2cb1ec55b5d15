/**
 * Loads every input of the report from a run folder. Each one is ok, missing or invalid on its own, so one
 * absent or broken file costs its section only, and the section says which file and why (never silently).
 */
import { access, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { compareSchema, type CompareResult } from '../../probe/compare/compare.js';
import { readActivations } from '../../probe/run/activations-log.js';
import type { ProbeResult } from '../../probe/schema.js';
import { runPaths } from '../../run-folder/run-folder.js';
import {
  diagnosisSchema,
  manifestSchema,
  metricsLineSchema,
  nonFiniteLineSchema,
  paritySchema,
  type DiagnosisFile,
  type ManifestSummary,
  type MetricsLine,
  type NonFiniteLine,
  type ParityFile,
} from './schemas.js';

export type Loaded<T> =
  | { status: 'ok'; file: string; value: T }
  | { status: 'missing'; file: string }
  | { status: 'invalid'; file: string; error: string };

export interface Metrics {
  epochs: MetricsLine[];
  nonFinite: NonFiniteLine[];
}

export interface RunInputs {
  dir: string;
  manifest: Loaded<ManifestSummary>;
  metrics: Loaded<Metrics>;
  activations: Loaded<ProbeResult[]>;
  compare: Loaded<CompareResult>;
  diagnosis: Loaded<DiagnosisFile>;
  parity: Loaded<ParityFile>;
}

async function load<T>(path: string, read: (path: string) => Promise<T>): Promise<Loaded<T>> {
  const file = basename(path);
  try {
    await access(path);
  } catch (err) {
    // Any other access error (permissions) falls through to `read`, whose message then names it.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing', file };
  }
  try {
    return { status: 'ok', file, value: await read(path) };
  } catch (err) {
    return {
      status: 'invalid',
      file,
      error: err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message,
    };
  }
}

const json =
  <T>(schema: z.ZodType<T>) =>
  async (path: string): Promise<T> =>
    schema.parse(JSON.parse(await readFile(path, 'utf8')));

function parseMetrics(text: string, source: string): Metrics {
  const out: Metrics = { epochs: [], nonFinite: [] };
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const raw: unknown = JSON.parse(line);
    const isEvent = typeof raw === 'object' && raw !== null && 'event' in raw;
    const r = (isEvent ? nonFiniteLineSchema : metricsLineSchema).safeParse(raw);
    if (!r.success) throw new Error(`${source} line ${i + 1}: ${z.prettifyError(r.error)}`);
    if ('event' in r.data) out.nonFinite.push(r.data);
    else out.epochs.push(r.data);
  });
  out.epochs.sort((a, b) => a.miniEpoch - b.miniEpoch);
  return out;
}

export async function loadRunInputs(dir: string): Promise<RunInputs> {
  const p = runPaths(dir);
  return {
    dir,
    manifest: await load(p.manifest, json(manifestSchema)),
    metrics: await load(p.metrics, async (path) => parseMetrics(await readFile(path, 'utf8'), path)),
    // The probe stage owns the activations format and its reader (zod-validated, sorted by mini-epoch).
    activations: await load(p.activations, readActivations),
    compare: await load(p.compare, json(compareSchema)),
    diagnosis: await load(p.diagnosis, json(diagnosisSchema)),
    parity: await load(p.parity, json(paritySchema)),
  };
}
