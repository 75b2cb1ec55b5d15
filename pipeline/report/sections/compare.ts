/** Ours vs the reference AlexNet per matched layer (values divided by each model's input std), with its verdict. */
import type { TopLevelSpec } from 'vega-lite';
import type { CompareResult } from '../../../probe/compare/compare.js';
import { fmt, isFiniteNumber } from '../format.js';
import { html, note } from '../html.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

type Row = CompareResult['rows'][number];
type Stat = 'std' | 'p99';

/**
 * The card's `pretrained` flag decides; compare.json files written before it existed fall back to the label,
 * which the probe sets on every stand-in (STRUCTURE_ONLY_LABEL). Both must agree for "pretrained".
 */
export const referenceKind = (c: CompareResult): 'pretrained' | 'structure only' =>
  c.reference.pretrained !== false && !c.reference.label ? 'pretrained' : 'structure only';

interface Dot {
  layer: string;
  who: string;
  value: number | null;
}

// A log axis: only positive finite values are drawn (the table shows the rest).
function dots(c: CompareResult, stat: Stat, ref: string): Dot[] {
  return c.rows
    .flatMap((r: Row) => [
      { layer: r.layer, who: 'ours', value: r.oursNormalised[stat] },
      { layer: r.layer, who: ref, value: r.referenceNormalised?.[stat] ?? null },
    ])
    .filter((v) => isFiniteNumber(v.value) && v.value > 0);
}

function spec(c: CompareResult, stat: Stat, ref: string, values: Dot[], title: string): TopLevelSpec {
  return {
    title,
    width: Math.max(220, 46 * c.rows.length),
    height: 180,
    data: { values },
    // Points, not bars: a bar on a log axis has no baseline to start from (vega-lite draws it with no height).
    mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: c.rows.map((r) => r.layer), title: null, axis: { labelAngle: -30 } },
      xOffset: { field: 'who', sort: ['ours', ref] },
      y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: `${stat} ÷ input std (log)` },
      color: {
        field: 'who',
        type: 'nominal',
        title: null,
        sort: ['ours', ref],
        scale: { range: ['#3b6fb6', '#e39b3a'] },
      },
      shape: {
        field: 'who',
        type: 'nominal',
        title: null,
        sort: ['ours', ref],
        scale: { range: ['circle', 'diamond'] },
      },
    },
  };
}

const table = (
  c: CompareResult,
) => html`<table class="compare"><thead><tr><th>layer</th><th>role</th><th>reference layer</th>
<th>p99/σin</th><th>ref p99/σin</th><th>std/σin</th><th>ref std/σin</th><th>std ratio</th><th>verdict</th></tr></thead><tbody>${c.rows.map(
  (r) => html`
<tr><td><code>${r.layer}</code></td><td>${r.role}</td><td>${r.reference ?? '—'}</td><td>${fmt(r.oursNormalised.p99)}</td><td>${fmt(r.referenceNormalised?.p99)}</td>
<td>${fmt(r.oursNormalised.std)}</td><td>${fmt(r.referenceNormalised?.std)}</td><td>${fmt(r.stdRatio)}</td><td class="verdict ${r.verdict.replace(/ /g, '-')}">${r.verdict}</td></tr>`,
)}</tbody></table>`;

export const compareSection: Section = {
  id: 'compare',
  title: 'Ours vs the reference',
  async render(run) {
    const cmp = run.compare;
    if (cmp.status !== 'ok')
      return unavailable(
        cmp,
        html`the reference comparison stage (the config's reference, else the cached AlexNet, else the shipped SqueezeNet 1.1)`,
      );
    const c = cmp.value;
    const kind = referenceKind(c);
    const head = html`<p class="reference ${kind === 'pretrained' ? 'pretrained' : 'structure-only'}">Reference <code>${c.reference.model}</code>
(card ${c.reference.card}): <strong>${kind}</strong>${c.reference.label ? html` — ${c.reference.label}` : ''}.
${c.reference.why ? html`Chosen: ${c.reference.why}. ` : ''}Input std: ours ${fmt(c.inputStd.ours)}, reference ${fmt(c.inputStd.reference)}.</p>`;
    if (c.rows.length === 0) return html`${head}${note('compare.json has no layer rows.')}`;
    const ref = `reference (${kind})`;
    const plots = [];
    for (const [stat, title] of [
      ['std', 'std per layer'],
      ['p99', '99th percentile per layer'],
    ] as const) {
      const values = dots(c, stat, ref);
      if (values.length) plots.push(await plot(`compare-${stat}`, spec(c, stat, ref, values, title)));
    }
    return html`${head}<div class="row">${plots}</div>${table(c)}`;
  },
};
