/**
 * The comparison page: one row per run (the values that differ, final accuracy and loss, time, the first
 * mini-epoch each diagnosis rule fired, the diagnosis headlines, a link to the run's report) and overlaid
 * curves, one colour per run. Static SVG from the report's own plotting (vega-lite rendered in Node).
 */
import { seriesChart, type Point } from '../report/charts.js';
import { fmt, isFiniteNumber, pct } from '../report/format.js';
import { html, note, trusted, type Html } from '../report/html.js';
import { plot } from '../report/plot.js';
import { CSS } from '../report/style.js';
import type { Column } from './differing.js';
import { chooseLayers } from './layers.js';
import type { LayerPoint, RunSummary } from './load-run.js';

export interface ComparisonOptions {
  title: string;
  /** One line under the title (the sweep's base and design, or the folders compared). */
  subtitle?: string;
  columns: Column[];
  /** Where each run's own report is, as the page should link it. */
  reportHref: (run: RunSummary) => string;
  layers?: string[];
  generatedAt?: Date;
}

const EXTRA_CSS = `
td.state { font-weight: 600; } td.state.finished { color: #3c8d4f; } td.state.failed { color: #c9302c; }
td.state.stalled { color: #a05a00; } td.state.running { color: #2c5aa0; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td ul { margin: 0; padding-left: 16px; } td.setting, td.num { white-space: nowrap; } table.variants td { vertical-align: top; }
`;

function row(run: RunSummary, i: number, opts: ComparisonOptions): Html {
  const last = run.epochs[run.epochs.length - 1];
  return html`<tr data-run="${run.name}">
<td><a href="${opts.reportHref(run)}">${run.name}</a></td>
<td class="state ${run.status.state.replace(' ', '-')}" title="${run.status.detail}">${run.status.state}</td>
${opts.columns.map((c) => html`<td class="setting">${c.values[i]}</td>`)}
<td class="num accuracy">${pct(run.finalAccuracy)}</td>
<td class="num loss">${fmt(run.finalLoss)}</td>
<td class="num">${last ? last.miniEpoch : '—'}</td>
<td class="num">${run.seconds === null ? '—' : `${fmt(run.seconds)} s`}</td>
<td class="fired">${run.fired.length ? html`<ul>${run.fired.map((f) => html`<li>${f.rule} at mini-epoch ${f.miniEpoch}${f.stillFiring ? '' : ' (cleared later)'}</li>`)}</ul>` : 'none'}</td>
<td class="headlines">${run.headlines.length ? html`<ul>${run.headlines.map((h) => html`<li>${h}</li>`)}</ul>` : 'no findings'}${run.problems.length ? note(run.problems.join('; '), 'error') : ''}</td>
</tr>`;
}

function layerPoints(runs: RunSummary[], layer: string, field: keyof Omit<LayerPoint, 'miniEpoch'>): Point[] {
  return runs.flatMap((r) =>
    (r.layers.get(layer) ?? []).flatMap((p) =>
      isFiniteNumber(p[field]) ? [{ miniEpoch: p.miniEpoch, series: r.name, value: p[field] as number }] : [],
    ),
  );
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'x';

async function curves(runs: RunSummary[], opts: ComparisonOptions): Promise<Html> {
  const order = runs.map((r) => r.name);
  const series = (pick: (e: RunSummary['epochs'][number]) => number | null | undefined): Point[] =>
    runs.flatMap((r) =>
      r.epochs.flatMap((e) => {
        const v = pick(e);
        return isFiniteNumber(v) ? [{ miniEpoch: e.miniEpoch, series: r.name, value: v }] : [];
      }),
    );
  const classes = runs.find((r) => r.classes)?.classes;
  const plots: Html[] = [];
  const loss = series((e) => e.testLoss ?? e.trainLoss);
  if (loss.length)
    plots.push(
      await plot('cmp-loss', seriesChart({ title: 'Test loss', yTitle: 'cross-entropy', points: loss, order })),
    );
  const acc = series((e) => e.testAccuracy);
  if (acc.length)
    plots.push(
      await plot(
        'cmp-accuracy',
        seriesChart({
          title: 'Test accuracy',
          yTitle: 'accuracy',
          points: acc,
          order,
          domain: [0, 1],
          ...(classes ? { rule: { value: 1 / classes, label: `chance (1/${classes})` } } : {}),
        }),
      ),
    );
  const layers = chooseLayers(runs, opts.layers);
  const layerPlots: Html[] = [];
  for (const layer of layers) {
    for (const [field, label] of [
      ['std', 'activation std'],
      ['p99', 'activation p99'],
    ] as const) {
      const points = layerPoints(runs, layer, field);
      if (points.length === 0) continue;
      layerPlots.push(
        await plot(
          `cmp-${field}-${slug(layer)}`,
          seriesChart({
            title: `${layer}: ${label}`,
            yTitle: label,
            points,
            order,
            log: points.every((p) => p.value > 0),
            width: 340,
          }),
        ),
      );
    }
  }
  return html`<div class="row">${plots.length ? plots : note('No metrics yet.')}</div>
<h3>Activations of chosen layers</h3>
${layerPlots.length ? html`<p class="note">Layers: ${layers.join(', ')} (std and p99 over the probed test images, per mini-epoch; log scale when every value is positive).</p><div class="grid">${layerPlots}</div>` : note('No probed activations yet.')}`;
}

export async function comparisonPage(runs: RunSummary[], opts: ComparisonOptions): Promise<string> {
  const table = html`<table class="variants"><thead><tr><th>run</th><th>state</th>${opts.columns.map((c) => html`<th>${c.name}</th>`)}
<th>test accuracy</th><th>loss</th><th>mini-epoch</th><th>time</th><th>rules fired (first mini-epoch)</th><th>diagnosis</th></tr></thead>
<tbody>${runs.map((r, i) => row(r, i, opts))}</tbody></table>`;
  let charts: Html;
  try {
    charts = await curves(runs, opts);
  } catch (err) {
    charts = note(html`The curves failed to render: <pre>${(err as Error).stack ?? String(err)}</pre>`, 'error');
  }
  const doc = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<link rel="icon" href="data:,">
<style>${trusted(CSS + EXTRA_CSS)}</style>
</head><body>
<header><h1>${opts.title}</h1>${opts.subtitle ? html`<p class="meta">${opts.subtitle}</p>` : ''}</header>
<section id="variants"><h2>Runs</h2>${runs.length ? table : note('No runs yet.')}</section>
<section id="curves"><h2>Curves</h2>${charts}</section>
<footer class="note">Generated ${(opts.generatedAt ?? new Date()).toISOString()}.</footer>
</body></html>
`;
  return doc.text;
}
