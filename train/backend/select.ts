/**
 * Backend selection: try candidates in order, activate the first that loads, and then check with
 * tf.getBackend() that it is really the one running — tfjs otherwise falls back silently when a
 * backend factory throws, and a run would train on something else than it reports.
 */
import * as tf from '@tensorflow/tfjs';
import { createDefaultLoaders, type DefaultLoaderOptions } from './loaders.js';

export const backendCandidates = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type Candidate = (typeof backendCandidates)[number];
/**
 * What `auto` tries, in order: the packages package.json declares. 'tensorflow' (@tensorflow/tfjs-node, CPU
 * libtensorflow) is not a dependency, so auto never finds it; `--backend tensorflow` uses it where a user
 * installed it.
 */
export const autoOrder: readonly Candidate[] = ['tensorflow-gpu', 'wasm', 'cpu'];
export type BackendRequest = 'auto' | Candidate;

export interface Attempt {
  candidate: Candidate;
  ok: boolean;
  reason: string;
}

export interface WasmDetails {
  simd: boolean;
  threads: number;
  /** Set when threads were wanted but the threaded build failed to start. */
  threadsFallback?: string;
  /** The native conv/batch-norm kernels in use, e.g. "2 threads, AVX2/FMA GEMM". */
  native?: string;
  /** Why the native kernels are not in use (no compiler, ACTPROBE_NATIVE=0, …). */
  nativeUnavailable?: string;
}

export interface BackendReport {
  /** tf.getBackend() after activation: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  candidate: Candidate;
  attempts: Attempt[];
  wasm?: WasmDetails;
}

export interface LoadedCandidate {
  /** tf backend name the candidate provides (both tfjs-node flavours register 'tensorflow'). */
  tfBackend: string;
  /** Facts only readable once the backend is active (wasm thread count). */
  details?: () => Promise<{ wasm?: WasmDetails }>;
}
/** Makes a candidate available to tf, or throws an Error whose message is the reason it cannot. */
export type CandidateLoader = () => Promise<LoadedCandidate>;
export type LoaderTable = Record<Candidate, CandidateLoader>;

/** The two tf calls selection needs, injectable so tests need not switch real backends. */
export interface EnginePort {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
}

export interface SelectOptions extends DefaultLoaderOptions {
  loaders?: Partial<LoaderTable>;
  engine?: EnginePort;
}

const realEngine: EnginePort = { setBackend: (name) => tf.setBackend(name), getBackend: () => tf.getBackend() };

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function tryCandidate(
  candidate: Candidate,
  load: CandidateLoader,
  engine: EnginePort,
): Promise<{ ok: true; loaded: LoadedCandidate } | { ok: false; reason: string }> {
  let loaded: LoadedCandidate;
  try {
    loaded = await load();
  } catch (e) {
    return { ok: false, reason: reasonOf(e) };
  }
  let activated: boolean;
  try {
    activated = await engine.setBackend(loaded.tfBackend);
  } catch (e) {
    return { ok: false, reason: `tf.setBackend('${loaded.tfBackend}') threw: ${reasonOf(e)}` };
  }
  if (!activated)
    return {
      ok: false,
      reason: `tf.setBackend('${loaded.tfBackend}') failed: its factory threw (see the warning above)`,
    };
  const running = engine.getBackend();
  if (running !== loaded.tfBackend) {
    throw new Error(
      `backend ${candidate} was requested and activated as '${loaded.tfBackend}', but tf is running '${running}'`,
    );
  }
  return { ok: true, loaded };
}

/** For an explicit request that failed: which other candidates would load (import only). */
async function availableOthers(requested: Candidate, loaders: LoaderTable): Promise<string> {
  const found: string[] = [];
  for (const c of backendCandidates) {
    if (c === requested) continue;
    try {
      await loaders[c]();
      found.push(c);
    } catch {
      // not available: that is what we are finding out
    }
  }
  return found.length > 0 ? found.join(', ') : 'none';
}

export async function selectBackend(
  requested: BackendRequest = 'auto',
  options: SelectOptions = {},
): Promise<BackendReport> {
  const loaders: LoaderTable = { ...createDefaultLoaders(options), ...options.loaders };
  const engine = options.engine ?? realEngine;
  const order: readonly Candidate[] = requested === 'auto' ? autoOrder : [requested];
  const attempts: Attempt[] = [];
  for (const candidate of order) {
    const result = await tryCandidate(candidate, loaders[candidate], engine);
    if (!result.ok) {
      attempts.push({ candidate, ok: false, reason: result.reason });
      continue;
    }
    attempts.push({ candidate, ok: true, reason: `running as tf backend '${result.loaded.tfBackend}'` });
    const details = (await result.loaded.details?.()) ?? {};
    return { backend: engine.getBackend(), candidate, attempts, ...details };
  }
  const tried = attempts.map((a) => `${a.candidate}: ${a.reason}`).join('; ');
  if (requested === 'auto') throw new Error(`no tfjs backend could be loaded (${tried})`);
  throw new Error(
    `backend ${requested} cannot be used: ${tried}. Available here: ${await availableOthers(requested, loaders)}`,
  );
}

/** One line for logs, e.g. "backend wasm (SIMD, 2 threads); tensorflow-gpu: package … is not installed (…)". */
export function describeBackend(report: BackendReport): string {
  let head = `backend ${report.backend}`;
  if (report.wasm !== undefined) {
    const { simd, threads, threadsFallback } = report.wasm;
    head += ` (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
    head += threadsFallback !== undefined ? `; threaded build failed: ${threadsFallback})` : ')';
    if (report.wasm.native !== undefined)
      head += ` + native training kernels (conv, batch norm, pooling, Adam; ${report.wasm.native})`;
    if (report.wasm.nativeUnavailable !== undefined)
      head += ` without native kernels (${report.wasm.nativeUnavailable})`;
  }
  const skipped = report.attempts.filter((a) => !a.ok).map((a) => `${a.candidate}: ${a.reason}`);
  return [head, ...skipped].join('; ');
}
