/**
 * Lays out a sweep folder before anything trains: `configs/<variant>.json` (the full config each variant
 * runs) and `sweep.json`. On --resume the stored sweep must describe the same variants, and each variant's
 * status is taken from its run folder (a finished run is never redone).
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest, runPaths } from '../../run-folder/run-folder.js';
import type { SweepSpec } from './spec.js';
import { readSweepState, sweepPaths, type SweepState, type VariantStatus } from './state.js';
import type { Variant } from './validate.js';

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a run folder says about itself: finished (manifest + report), failed (failure.json), started, or nothing. */
export async function runFolderStatus(runDir: string): Promise<VariantStatus> {
  const manifest = await readManifest(runDir);
  if (manifest?.status === 'finished' && (await exists(runPaths(runDir).report))) return 'finished';
  if (await exists(runPaths(runDir).failure)) return 'failed';
  return manifest ? 'interrupted' : 'pending';
}

export async function prepareSweep(
  dir: string,
  spec: SweepSpec,
  variants: Variant[],
  resume: boolean,
): Promise<SweepState> {
  const paths = sweepPaths(dir);
  const stored = await readSweepState(dir);
  if (stored && !resume)
    throw new Error(`${dir} already holds a sweep (sweep.json): pass --resume to continue it, or choose another --out`);
  if (stored) {
    const want = variants.map((v) => v.name).join('\n');
    const have = stored.variants.map((v) => v.name).join('\n');
    if (want !== have)
      throw new Error(
        `--resume: ${paths.state} holds other variants (${stored.variants.map((v) => v.name).join('; ')}) than this spec (${variants.map((v) => v.name).join('; ')}); resume without --config/--vary to continue the stored sweep`,
      );
  }
  // A sweep killed outright (SIGKILL) leaves its variants running; a second writer would corrupt their folders.
  const alive = stored?.variants.filter((v) => v.status === 'running' && v.pid !== undefined && isAlive(v.pid)) ?? [];
  if (alive.length > 0)
    throw new Error(
      `--resume: ${alive.map((v) => `${v.name} (pid ${v.pid})`).join(', ')} still running from the earlier sweep; wait for it or stop it, then resume`,
    );
  await mkdir(paths.configs, { recursive: true });
  await mkdir(paths.logs, { recursive: true });
  const now = new Date().toISOString();
  const state: SweepState = {
    version: 1,
    createdAt: stored?.createdAt ?? now,
    updatedAt: now,
    base: { source: spec.baseSource, config: spec.base },
    design: spec.design,
    axes: spec.axes,
    variants: [],
  };
  for (const v of variants) {
    const config = join('configs', `${v.name}.json`);
    await writeFile(join(dir, config), `${JSON.stringify(v.config, null, 2)}\n`);
    const before = stored?.variants.find((s) => s.name === v.name);
    const status = await runFolderStatus(join(dir, v.name));
    state.variants.push({
      ...before,
      pid: undefined,
      name: v.name,
      folder: v.name,
      settings: Object.fromEntries(v.settings.map((s) => [s.axis, s.label])),
      config,
      status,
      log: join('logs', `${v.name}.log`),
    });
  }
  return state;
}
