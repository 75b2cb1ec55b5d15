/** The HTML document around the sections: header with what ran, a table of contents, inline CSS, no script. */
import { basename } from 'node:path';
import { fmt, pct } from './format.js';
import { html, trusted, type Html } from './html.js';
import type { RunInputs } from './inputs.js';
import { CSS } from './style.js';

export interface RenderedSection {
  id: string;
  title: string;
  body: Html;
}

function meta(run: RunInputs): Html {
  const m = run.manifest;
  if (m.status !== 'ok')
    return html`<p class="meta">${m.status === 'missing' ? 'No manifest.json.' : `manifest.json unreadable: ${m.error}`}</p>`;
  const v = m.value;
  const seconds = Object.values(v.stages).reduce((a, b) => a + b, 0);
  return html`<p class="meta">${v.data ? `${v.data.name} (${v.data.classes} classes) · ` : ''}test accuracy <strong>${pct(v.testAccuracy)}</strong>
· trained on tfjs ${v.backend ?? '—'} · probed on onnxruntime ${v.executionProvider ?? '—'}${v.status ? ` · ${v.status}` : ''} · stages ${fmt(seconds)} s</p>`;
}

export function page(run: RunInputs, sections: RenderedSection[], generatedAt: Date): string {
  const title = `actprobe report — ${basename(run.dir)}`;
  const doc = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${trusted(CSS)}</style>
</head><body>
<header><h1>${title}</h1>${meta(run)}
<nav>${sections.map((s) => html`<a href="#${s.id}">${s.title}</a>`)}</nav></header>
${sections.map(
  (s) => html`<section id="${s.id}"><h2>${s.title}</h2>
${s.body}
</section>`,
)}
<footer class="note">Generated ${generatedAt.toISOString()} from ${run.dir}.</footer>
</body></html>
`;
  return doc.text;
}
