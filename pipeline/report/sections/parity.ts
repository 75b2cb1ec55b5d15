/** The export's parity proof: tfjs vs onnxruntime layer by layer, max |Δ| relative to the layer's scale. */
import type { TopLevelSpec } from 'vega-lite';
import { fmt, isFiniteNumber } from '../format.js';
import { html } from '../html.js';
import type { ParityFile } from '../schemas.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

function spec(p: ParityFile): TopLevelSpec | null {
  // Exact layers (0) have no place on a log axis; non-finite ones (shape mismatch) are in the failure table.
  const values = p.layers
    .filter((l) => isFiniteNumber(l.relToScale) && l.relToScale > 0)
    .map((l) => ({ layer: l.layer, rel: l.relToScale, passed: l.passed ? 'pass' : 'fail' }));
  if (values.length === 0) return null;
  const y = { field: 'layer', type: 'nominal', sort: p.layers.map((l) => l.layer), title: null } as const;
  return {
    title: 'max |Δ| ÷ layer scale',
    width: 360,
    height: Math.max(60, 14 * values.length),
    layer: [
      // Points: bars on a log axis have no baseline (vega-lite draws them with no length).
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          y,
          x: { field: 'rel', type: 'quantitative', scale: { type: 'log' }, title: 'relative to scale (log)' },
          color: {
            field: 'passed',
            type: 'nominal',
            title: null,
            scale: { domain: ['pass', 'fail'], range: ['#4a9d5b', '#d9534f'] },
          },
        },
      },
      {
        data: { values: [{ tolerance: p.tolerance, label: `tolerance ${fmt(p.tolerance)}` }] },
        layer: [
          {
            mark: { type: 'rule', color: '#111', strokeDash: [4, 3] },
            encoding: { x: { field: 'tolerance', type: 'quantitative' } },
          },
          {
            mark: { type: 'text', align: 'right', dx: -4, y: 0, dy: -6, color: '#444', fontSize: 10 },
            encoding: { x: { field: 'tolerance', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
    ],
  };
}

export const paritySection: Section = {
  id: 'parity',
  title: 'Export parity (tfjs vs onnxruntime)',
  async render(run) {
    const par = run.parity;
    if (par.status !== 'ok') return unavailable(par, 'the export stage');
    const p = par.value;
    const failed = p.layers.filter((l) => !l.passed);
    const images = p.inputs.reduce((n, i) => n + i.images, 0);
    const summary = html`<p class="verdict-line"><span class="badge ${p.passed ? 'pass' : 'fail'}">${p.passed ? 'pass' : 'fail'}</span>
${p.layers.length} layers compared on ${images} images (${p.inputs.map((i) => i.name).join(', ')}); tolerance ${fmt(p.tolerance)} × layer scale.
Worst: ${p.worst ? html`<code>${p.worst.layer}</code> at ${fmt(p.worst.relToScale)}` : '—'}. tfjs ${p.tfjsBackend} vs onnxruntime ${p.onnxruntime} (${p.executionProvider}).</p>`;
    const failures =
      failed.length === 0
        ? ''
        : html`<table><thead><tr><th>failed layer</th><th>class</th><th>max |Δ|</th><th>÷ scale</th><th>worst input</th></tr></thead><tbody>${failed
            .slice(0, 20)
            .map(
              (l) => html`
<tr><td><code>${l.layer}</code></td><td>${l.className}</td><td>${fmt(l.maxAbsDiff)}</td><td>${fmt(l.relToScale)}</td><td>${l.worstInput}</td></tr>`,
            )}</tbody></table>${failed.length > 20 ? html`<p>… and ${failed.length - 20} more failed layers.</p>` : ''}`;
    const s = spec(p);
    const exact = p.layers.filter((l) => l.relToScale === 0).map((l) => l.layer);
    const caption = `Dashed: the tolerance. ${exact.length ? `Identical outputs (0, not on the log axis): ${exact.join(', ')}.` : ''}`;
    return html`${summary}${s ? await plot('parity', s, caption) : ''}${failures}`;
  },
};
