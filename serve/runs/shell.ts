/**
 * The live page around a report: a status line and the report's body, replaced in place on every `update`
 * event (no reload; the report's own CSS comes with it). A dropped stream reconnects by itself.
 */
import { escapeHtml } from '../../pipeline/report/index.js';

const SCRIPT = `
const path = document.body.dataset.path;
const live = document.getElementById('live');
const style = document.getElementById('report-style');
const set = (id, text) => { document.getElementById(id).textContent = text; };
window.actprobeUpdates = 0;
const events = new EventSource('/runs/events?path=' + encodeURIComponent(path));
events.addEventListener('update', (e) => {
  const u = JSON.parse(e.data);
  const doc = new DOMParser().parseFromString(u.html, 'text/html');
  style.textContent = [...doc.querySelectorAll('style')].map((s) => s.textContent).join('\\n');
  live.replaceChildren(...[...doc.body.childNodes].map((n) => document.importNode(n, true)));
  const state = document.getElementById('state');
  state.textContent = u.state;
  state.className = 'state ' + u.state.replace(' ', '-');
  set('progress', u.progress);
  set('detail', u.detail);
  set('updated', 'updated ' + new Date().toLocaleTimeString());
  window.actprobeUpdates++;
});
events.addEventListener('error', () => set('updated', 'connection lost; reconnecting…'));
`;

const CSS = `
#bar { position: sticky; top: 0; z-index: 2; background: #1d2330; color: #fff; font: 13px system-ui, sans-serif; padding: 6px 16px; display: flex; gap: 16px; align-items: baseline; }
#bar a { color: #9cc3ff; } #bar .state { font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
#bar .state.finished { color: #7fd48f; } #bar .state.failed { color: #ff8a80; } #bar .state.stalled { color: #ffcc66; } #bar .state.running { color: #9cc3ff; }
#bar #detail, #bar #updated { color: #b9c0cc; }
`;

export function shellPage(rel: string, kind: 'run' | 'sweep'): string {
  const name = escapeHtml(rel === '.' ? 'runs' : rel);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>live: ${name}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
<style id="report-style"></style>
</head><body data-path="${escapeHtml(rel)}" data-kind="${kind}">
<div id="bar"><a href="/runs">all runs</a><strong>${name}</strong><span id="state" class="state">connecting</span><span id="progress"></span><span id="detail"></span><span id="updated"></span></div>
<div id="live"><p>Waiting for the first update…</p></div>
<script type="module">${SCRIPT}</script>
</body></html>
`;
}
