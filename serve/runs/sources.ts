/** What a live page shows: a run's own report, or a sweep's comparison page linking to its variants' live pages. */
import { join } from 'node:path';
import { renderSweepComparison } from '../../pipeline/compare-runs/write.js';
import { renderReport } from '../../pipeline/report/index.js';
import { readSweepState } from '../../pipeline/sweep/state.js';
import type { RunsEntry } from './discover.js';
import { runFiles, type FeedSource } from './live-feed.js';
import { liveStatus, type LiveStatus } from './live-status.js';

export const viewHref = (rel: string): string => `/runs/view?path=${encodeURIComponent(rel)}`;

function progress(s: LiveStatus): string {
  if (s.miniEpoch === null) return 'no mini-epoch yet';
  const acc = s.testAccuracy === null ? '' : `, test accuracy ${(s.testAccuracy * 100).toFixed(1)}%`;
  return `mini-epoch ${s.miniEpoch}${s.miniEpochs ? ` of ${s.miniEpochs}` : ''}${acc}`;
}

export function runSource(entry: RunsEntry, stallFloor?: number): FeedSource {
  return {
    files: async () => runFiles(entry.dir),
    state: async () => (await liveStatus(entry.dir, stallFloor)).state,
    async render() {
      const s = await liveStatus(entry.dir, stallFloor);
      return { html: await renderReport(entry.dir), state: s.state, detail: s.detail, progress: progress(s) };
    },
  };
}

export function sweepSource(entry: RunsEntry, stallFloor?: number): FeedSource {
  const variantDirs = async (): Promise<string[]> =>
    ((await readSweepState(entry.dir))?.variants ?? []).map((v) => join(entry.dir, v.folder));
  const states = async (): Promise<string[]> =>
    Promise.all((await variantDirs()).map(async (d) => (await liveStatus(d, stallFloor)).state));
  const prefix = entry.rel === '.' ? '' : `${entry.rel}/`;
  return {
    files: async () => [join(entry.dir, 'sweep.json'), ...(await variantDirs()).flatMap(runFiles)],
    state: async () => (await states()).join(','),
    async render() {
      const list = await states();
      const counts = new Map<string, number>();
      for (const s of list) counts.set(s, (counts.get(s) ?? 0) + 1);
      const state = list.some((s) => s === 'running')
        ? 'running'
        : list.every((s) => s === 'finished')
          ? 'finished'
          : list.some((s) => s === 'stalled')
            ? 'stalled'
            : 'mixed';
      const html = await renderSweepComparison(entry.dir, { reportHref: (r) => viewHref(`${prefix}${r.name}`) });
      return {
        html,
        state,
        detail: `${list.length} variants`,
        progress: [...counts].map(([s, n]) => `${n} ${s}`).join(', '),
      };
    },
  };
}
