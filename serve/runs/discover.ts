/**
 * What `--runs DIR` holds: run folders (manifest.json) and sweep folders (sweep.json), DIR itself or up to
 * two levels below it (a sweep's variants are runs one level down). Re-read on every request, so a run
 * started from another terminal appears without restarting the server. URLs carry the listing's relative
 * path, which is looked up in this listing, never joined onto the file system.
 */
import { access, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface RunsEntry {
  kind: 'run' | 'sweep';
  /** Path relative to the --runs folder, '/'-separated ('.' for the folder itself). */
  rel: string;
  dir: string;
  /** For a variant of a sweep: the sweep's rel. */
  sweep?: string;
}

const has = (dir: string, file: string): Promise<boolean> =>
  access(join(dir, file)).then(
    () => true,
    () => false,
  );
const SKIP = new Set(['checkpoints', 'configs', 'logs', 'plan', 'node_modules']);

export async function discoverRuns(root: string, depth = 2): Promise<RunsEntry[]> {
  const top = await realpath(resolve(root)).catch(() => {
    throw new Error(`--runs ${root}: no such folder`);
  });
  const out: RunsEntry[] = [];
  const visit = async (dir: string, level: number, sweep?: string): Promise<void> => {
    const rel = relative(top, dir).split(sep).join('/') || '.';
    if (await has(dir, 'sweep.json')) {
      out.push({ kind: 'sweep', rel, dir });
      sweep = rel;
    } else if (await has(dir, 'manifest.json')) {
      out.push({ kind: 'run', rel, dir, ...(sweep ? { sweep } : {}) });
      return;
    }
    if (level >= depth) return;
    const subs = (await readdir(dir, { withFileTypes: true }).catch(() => []))
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !SKIP.has(d.name))
      .map((d) => d.name)
      .sort();
    for (const s of subs) {
      // Symlinked folders are followed only while they stay inside --runs.
      const real = await realpath(join(dir, s)).catch(() => null);
      if (!real) continue;
      const r = relative(top, real);
      if (r.startsWith('..') || isAbsolute(r)) continue;
      await visit(real, level + 1, sweep);
    }
  };
  await visit(top, 0);
  return out;
}
