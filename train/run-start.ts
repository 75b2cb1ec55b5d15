import { mkdir, stat } from 'node:fs/promises';
import { listCheckpoints } from './trainer/checkpoint.js';
import { readManifest, runPaths, updateManifest } from '../run-folder/run-folder.js';
import type { ConfigChange, RunManifest } from '../run-folder/run-folder.js';
import { acquireRunLock } from '../run-folder/run-lock.js';
import type { RunLock } from '../run-folder/run-lock.js';

/**
 * What a command decides before it writes anything to a run folder: which config runs (a resumed run keeps
 * the one in its manifest), whether there is anything left to do, and the folder's lock. Every refusal here
 * happens before the first write, so a refused command leaves the folder exactly as it found it.
 */

export interface StartRequest<C extends { miniEpochs: number }> {
  out: string;
  resume: boolean;
  /** The config given with --config, parsed; undefined when none was given. */
  given: { config: C; source: string } | undefined;
  /** The config a new run uses when none is given. */
  defaults: () => Promise<C>;
  /** Parses the config recorded in a run's manifest with this command's schema. */
  parseRecorded: (raw: unknown, source: string) => C;
  /** Resume with a --config that differs from the recorded one, recording the change in the manifest. */
  allowConfigChange: boolean;
  /** Names the writer in the lock file ("train", "pipeline"). */
  command: string;
  log?: (line: string) => void;
}

export interface RunStart<C> {
  config: C;
  resumed: boolean;
  /** The run already completed every mini-epoch and is marked finished: there is nothing to do. */
  finished: boolean;
  /** Last complete checkpoint, or null for a new run. */
  lastCheckpoint: number | null;
  manifest: RunManifest | null;
  lock: RunLock;
}

export interface FieldDifference {
  path: string;
  recorded: unknown;
  given: unknown;
}

/** Leaf-by-leaf differences between two JSON values (arrays of one length compared element by element). */
export function diffConfigs(recorded: unknown, given: unknown, path = ''): FieldDifference[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(recorded) && isObject(given)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(given)])];
    return keys.flatMap((k) => diffConfigs(recorded[k], given[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(recorded) && Array.isArray(given) && recorded.length === given.length) {
    return recorded.flatMap((v, i) => diffConfigs(v, given[i], `${path}.${i}`));
  }
  return JSON.stringify(recorded) === JSON.stringify(given) ? [] : [{ path: path || '(root)', recorded, given }];
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

async function kindOf(path: string): Promise<'missing' | 'folder' | 'other'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new Error(`cannot use --out ${path}: ${(e as Error).message}`);
  }
}

export async function startRun<C extends { miniEpochs: number }>(req: StartRequest<C>): Promise<RunStart<C>> {
  const { out } = req;
  const log = req.log ?? (() => undefined);
  const kind = await kindOf(out);
  if (kind === 'other')
    throw new Error(`--out ${out} is a file, not a run folder: name a folder (new, or a run to --resume)`);
  if (!req.resume) {
    const done = kind === 'folder' ? await listCheckpoints(out) : [];
    const manifest = kind === 'folder' ? await readManifest(out).catch(() => 'unreadable' as const) : null;
    if (done.length > 0 || manifest !== null) {
      throw new Error(
        `${out} already holds a run (${done.length > 0 ? `checkpoints ${done.join(', ')}` : 'a manifest.json'}): pass --resume to continue it, or choose another --out`,
      );
    }
    const config = req.given?.config ?? (await req.defaults());
    await mkdir(out, { recursive: true });
    const lock = await acquireRunLock(out, req.command, log);
    return { config, resumed: false, finished: false, lastCheckpoint: null, manifest: null, lock };
  }

  if (kind === 'missing')
    throw new Error(
      `--resume: ${out} does not exist, so there is no run to resume; drop --resume to start a new run there`,
    );
  const manifest = await readManifest(out);
  if (manifest === null)
    throw new Error(
      `--resume: ${out} holds no manifest.json, so it is not a run folder (nothing to resume); drop --resume to start a new run there, or check the path`,
    );
  const recorded = req.parseRecorded(manifest.config, `the config recorded in ${runPaths(out).manifest}`);
  const differences = req.given ? diffConfigs(recorded, req.given.config) : [];
  if (differences.length > 0 && !req.allowConfigChange) {
    throw new Error(
      `--config ${req.given?.source} differs from the config ${out} was started with:\n` +
        differences.map((d) => `  ${d.path}: run has ${show(d.recorded)}, --config has ${show(d.given)}`).join('\n') +
        `\nOmit --config to resume with the run's own config, or add --allow-config-change to continue with yours (the change is recorded in manifest.json under configChanges)`,
    );
  }
  const config = differences.length > 0 && req.given ? req.given.config : recorded;
  const lock = await acquireRunLock(out, req.command, log);
  try {
    const done = await listCheckpoints(out);
    const last = done.length > 0 ? done[done.length - 1] : null;
    const finished = manifest.status === 'finished' && last !== null && last >= config.miniEpochs;
    if (differences.length > 0 && !finished) {
      const change: ConfigChange = { at: new Date().toISOString(), fromCheckpoint: last ?? 0, fields: differences };
      await updateManifest(out, { config, configChanges: [...(manifest.configChanges ?? []), change] });
      log(
        `resuming with a changed config (recorded in manifest.json): ${differences.map((d) => `${d.path} ${show(d.recorded)} → ${show(d.given)}`).join(', ')}`,
      );
    }
    return { config, resumed: true, finished, lastCheckpoint: last, manifest, lock };
  } catch (e) {
    await lock.release();
    throw e;
  }
}
