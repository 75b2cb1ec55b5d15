/** GET /runs: every run and sweep under --runs, with its state, each linking to its live page. */
import { escapeHtml } from '../../pipeline/report/index.js';
import { readSweepState } from '../../pipeline/sweep/state.js';
import type { RunsEntry } from './discover.js';
import { liveStatus } from './live-status.js';
import { viewHref } from './sources.js';

export async function listPage(root: string, entries: RunsEntry[], stallFloor?: number): Promise<string> {
  const rows: string[] = [];
  for (const e of entries) {
    const link = `<a href="${escapeHtml(viewHref(e.rel))}">${escapeHtml(e.rel === '.' ? '(this folder)' : e.rel)}</a>`;
    if (e.kind === 'sweep') {
      const s = await readSweepState(e.dir).catch(() => null);
      rows.push(
        `<tr data-kind="sweep"><td>${link}</td><td>sweep</td><td>${s ? `${s.variants.length} variants${s.design === 'grid' ? '' : ' (one at a time)'}: ${escapeHtml(s.axes.map((a) => a.name).join(s.design === 'grid' ? ' × ' : ', '))}` : 'sweep.json unreadable'}</td><td></td></tr>`,
      );
    } else {
      const st = await liveStatus(e.dir, stallFloor);
      const progress =
        st.miniEpoch === null ? '' : `mini-epoch ${st.miniEpoch}${st.miniEpochs ? ` of ${st.miniEpochs}` : ''}`;
      rows.push(
        `<tr data-kind="run"${e.sweep ? ' class="variant"' : ''}><td>${link}</td><td class="state ${st.state.replace(' ', '-')}">${st.state}</td><td>${escapeHtml(progress)}</td><td>${escapeHtml(st.detail)}</td></tr>`,
      );
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>actprobe runs</title><link rel="icon" href="data:,">
<style>body { font: 14px/1.45 system-ui, sans-serif; margin: 16px 28px; color: #1d2330; } table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #eceef2; padding: 4px 10px; text-align: left; } tr.variant td:first-child { padding-left: 28px; }
.state.finished { color: #3c8d4f; } .state.failed { color: #c9302c; } .state.stalled { color: #a05a00; } .state.running { color: #2c5aa0; }</style>
</head><body><h1>Runs under ${escapeHtml(root)}</h1>
${rows.length ? `<table><thead><tr><th>run</th><th>state</th><th>progress</th><th></th></tr></thead><tbody>${rows.join('\n')}</tbody></table>` : '<p>No run folders (manifest.json) or sweeps (sweep.json) yet; this list is read again on every visit.</p>'}
</body></html>
`;
}
