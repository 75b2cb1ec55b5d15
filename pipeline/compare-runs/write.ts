/** The comparison page for a sweep folder (DIR/index.html) or for any list of run folders. */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readSweepState, sweepPaths } from '../sweep/state.js';
import { differingColumns, type Column } from './differing.js';
import { loadRunSummary, type RunSummary } from './load-run.js';
import { comparisonPage } from './page.js';

export interface RenderOptions {
  /** Link to a run's report; default: relative to where the page is written. */
  reportHref?: (run: RunSummary) => string;
  layers?: string[];
  now?: Date;
}

const toHref = (path: string): string => path.split(/[\\/]/).map(encodeURIComponent).join('/');

export async function renderSweepComparison(dir: string, opts: RenderOptions = {}): Promise<string> {
  const state = await readSweepState(dir);
  if (!state)
    throw new Error(
      `${dir} holds no sweep.json (is it a sweep folder? for run folders, list them: npm run compare-runs -- RUN_A RUN_B)`,
    );
  const now = opts.now ?? new Date();
  const runs = await Promise.all(state.variants.map((v) => loadRunSummary(join(dir, v.folder), v.name, now.getTime())));
  const columns: Column[] = state.axes.map((a) => ({
    name: a.name,
    values: state.variants.map((v) => v.settings[a.name] ?? '—'),
  }));
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.status.state, (counts.get(r.status.state) ?? 0) + 1);
  return comparisonPage(runs, {
    title: `actprobe sweep — ${basename(resolve(dir))}`,
    subtitle: `base ${state.base.source} · ${state.design === 'grid' ? 'every combination' : 'one axis at a time from the baseline'} of ${state.axes.map((a) => `${a.name} ∈ {${a.values.map((v) => v.label).join(', ')}}`).join(' · ')} · ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`,
    columns,
    reportHref: opts.reportHref ?? ((r) => `${toHref(basename(r.dir))}/report.html`),
    layers: opts.layers,
    generatedAt: now,
  });
}

export async function writeSweepIndex(dir: string, opts: RenderOptions = {}): Promise<string> {
  const path = sweepPaths(dir).index;
  await writeFile(path, await renderSweepComparison(dir, opts));
  return path;
}

export async function renderRunsComparison(dirs: string[], outFile: string, opts: RenderOptions = {}): Promise<string> {
  const now = opts.now ?? new Date();
  const names = dirs.map((d) => basename(resolve(d)));
  // Two folders of the same name (a/run, b/run) are told apart by their parent.
  const unique = names.map((n, i) =>
    names.indexOf(n) !== names.lastIndexOf(n) ? `${basename(dirname(resolve(dirs[i])))}/${n}` : n,
  );
  const runs = await Promise.all(dirs.map((d, i) => loadRunSummary(d, unique[i], now.getTime())));
  return comparisonPage(runs, {
    title: `actprobe comparison — ${runs.length} runs`,
    subtitle: dirs.join(' · '),
    columns: differingColumns(runs.map((r) => r.config)),
    reportHref:
      opts.reportHref ?? ((r) => toHref(relative(dirname(resolve(outFile)), join(resolve(r.dir), 'report.html')))),
    layers: opts.layers,
    generatedAt: now,
  });
}
