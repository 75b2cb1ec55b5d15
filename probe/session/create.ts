/**
 * The one factory for onnxruntime sessions. It never trusts the requested provider list: the first run is
 * profiled and the provider of every executed kernel is counted (onnxruntime drops a provider with only a
 * log warning), and that count is what `executionProvider` reports.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cudaProviderLibrary, type EpChoice } from './providers.js';
import { intraOpThreads } from './threads.js';

export type OptLevel = 'disabled' | 'basic' | 'extended' | 'all';
export const OPT_LEVELS: readonly OptLevel[] = ['disabled', 'basic', 'extended', 'all'];

export interface SessionConfig {
  ep?: EpChoice;
  /** Intra-op threads; 0 or undefined: one per logical CPU (threads.ts says why not onnxruntime's own default). */
  threads?: number;
  optimization?: OptLevel;
  /**
   * Let idle intra-op threads spin (onnxruntime's default). Turn off for a session that runs rarely next to
   * another one, or its spinning threads steal the cores the busy session needs.
   */
  spinning?: boolean;
}

export interface ProviderReport {
  requested: EpChoice;
  /** Providers handed to onnxruntime, in priority order. */
  configured: Array<'cuda' | 'cpu'>;
  /** What ran: the provider with most kernel time in the profiled first run ("cpu" | "cuda"). */
  used: string;
  /** Kernel count per onnxruntime provider name in the profiled run (e.g. CPUExecutionProvider: 42). */
  nodesByProvider: Record<string, number>;
  notes: string[];
}

export interface ProbeSession {
  session: ort.InferenceSession;
  /** Runs; the first call is profiled to fill `report.used` and `report.nodesByProvider`. */
  run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType>;
  report: ProviderReport;
  release(): Promise<void>;
}

export async function createSession(model: string | Uint8Array, cfg: SessionConfig = {}): Promise<ProbeSession> {
  const requested = cfg.ep ?? 'auto';
  const notes: string[] = [];
  const cuda = cudaProviderLibrary();
  let configured: Array<'cuda' | 'cpu'> = ['cpu'];
  if (requested === 'cuda' && !cuda.present) {
    throw new Error(`--ep cuda was requested but ${cuda.reason}. Install the CUDA provider or run with --ep cpu.`);
  }
  if (requested !== 'cpu' && cuda.present) configured = ['cuda', 'cpu'];
  if (requested === 'auto' && !cuda.present) notes.push(`CUDA not tried: ${cuda.reason}.`);
  const profileDir = await mkdtemp(join(tmpdir(), 'actprobe-ort-'));
  const options = (eps: Array<'cuda' | 'cpu'>): ort.InferenceSession.SessionOptions => ({
    executionProviders: eps,
    graphOptimizationLevel: cfg.optimization ?? 'all',
    intraOpNumThreads: intraOpThreads(cfg.threads),
    enableProfiling: true,
    profileFilePrefix: join(profileDir, 'run'),
    ...(cfg.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  });
  let session: ort.InferenceSession;
  try {
    session = await open(model, options(configured));
  } catch (err) {
    if (!configured.includes('cuda') || requested === 'cuda') {
      await rm(profileDir, { recursive: true, force: true });
      throw new Error(`onnxruntime could not create a session (${configured.join(', ')}): ${(err as Error).message}`);
    }
    notes.push(`CUDA session failed (${firstLine(err)}); using CPU.`);
    configured = ['cpu'];
    session = await open(model, options(configured));
  }
  const report: ProviderReport = { requested, configured, used: 'unknown', nodesByProvider: {}, notes };
  let profiled = false;
  return {
    session,
    report,
    async run(feeds) {
      const out = await session.run(feeds);
      if (!profiled) {
        profiled = true;
        session.endProfiling();
        Object.assign(report, await readProfile(profileDir));
        await rm(profileDir, { recursive: true, force: true });
        if (requested === 'cuda' && report.used !== 'cuda') {
          throw new Error(
            `--ep cuda was requested but onnxruntime ran most kernels on ${report.used} (${JSON.stringify(report.nodesByProvider)}).`,
          );
        }
      }
      return out;
    },
    async release() {
      await session.release();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

function open(model: string | Uint8Array, o: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  return typeof model === 'string' ? ort.InferenceSession.create(model, o) : ort.InferenceSession.create(model, o);
}

interface ProfileEvent {
  cat?: string;
  dur?: number;
  args?: { provider?: string };
}

async function readProfile(dir: string): Promise<Pick<ProviderReport, 'used' | 'nodesByProvider'>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  if (files.length === 0) return { used: 'unknown', nodesByProvider: {} };
  const events = JSON.parse(await readFile(join(dir, files[0]), 'utf8')) as ProfileEvent[];
  const nodes: Record<string, number> = {};
  const time: Record<string, number> = {};
  for (const e of events) {
    const p = e.args?.provider;
    if (e.cat !== 'Node' || !p) continue;
    nodes[p] = (nodes[p] ?? 0) + 1;
    time[p] = (time[p] ?? 0) + (e.dur ?? 0);
  }
  const top = Object.entries(time).sort((a, b) => b[1] - a[1])[0]?.[0];
  return { used: top ? shortName(top) : 'unknown', nodesByProvider: nodes };
}

function shortName(provider: string): string {
  return provider.replace(/ExecutionProvider$/, '').toLowerCase();
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0];
}
