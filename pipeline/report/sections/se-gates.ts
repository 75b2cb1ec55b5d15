/**
 * SE gates (sigmoid outputs, role 'se-gate'): per mini-epoch the share of gate values < 0.01, between and
 * > 0.99 as stacked bars, and the gate mean as a line. A gate stuck at 0 or 1 passes no gradient.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ProbeLayer } from '../../../probe/schema.js';
import { isFiniteNumber } from '../format.js';
import { html, note, type Html } from '../html.js';
import { layerHistories, type LayerHistory } from '../layer-history.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

const BINS = ['< 0.01', '0.01 – 0.99', '> 0.99'] as const;

/** Layer-wide share; older probes only carry the per-channel fractions, whose mean is the same figure. */
function share(l: ProbeLayer, key: 'lowFraction' | 'highFraction'): number | null {
  const s = l.summary[key];
  if (isFiniteNumber(s)) return s;
  const per = (l.channels[key] ?? []).filter(isFiniteNumber);
  return per.length ? per.reduce((a, b) => a + b, 0) / per.length : null;
}

function rows(h: LayerHistory) {
  const shares: Array<{ miniEpoch: number; bin: string; rank: number; share: number }> = [];
  const means: Array<{ miniEpoch: number; mean: number }> = [];
  for (const { miniEpoch, layer } of h.entries) {
    const low = share(layer, 'lowFraction');
    const high = share(layer, 'highFraction');
    if (low !== null && high !== null) {
      [low, Math.max(0, 1 - low - high), high].forEach((v, i) =>
        shares.push({ miniEpoch, bin: BINS[i], rank: i, share: v }),
      );
    }
    if (isFiniteNumber(layer.summary.mean)) means.push({ miniEpoch, mean: layer.summary.mean });
  }
  return { shares, means };
}

function spec(h: LayerHistory, r: ReturnType<typeof rows>): TopLevelSpec {
  const x = { field: 'miniEpoch', type: 'ordinal', title: 'mini-epoch', axis: { labelAngle: 0 } } as const;
  return {
    title: { text: h.name, subtitle: 'share of gate values; line: gate mean' },
    width: 300,
    height: 160,
    layer: [
      {
        data: { values: r.shares },
        mark: { type: 'bar', opacity: 0.85 },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative', title: 'share / mean', scale: { domain: [0, 1] }, stack: 'zero' },
          color: {
            field: 'bin',
            type: 'nominal',
            title: 'gate value',
            sort: [...BINS],
            scale: { domain: [...BINS], range: ['#3b6fb6', '#cfd8e3', '#d9534f'] },
          },
          // Stack by value range (low at the bottom), not by the labels' alphabetical order.
          order: { field: 'rank', type: 'quantitative', sort: 'ascending' },
        },
      },
      {
        data: { values: r.means },
        mark: { type: 'line', point: true, color: '#111' },
        encoding: { x, y: { field: 'mean', type: 'quantitative' } },
      },
    ],
  };
}

export const seGatesSection: Section = {
  id: 'se-gates',
  title: 'SE gate distributions',
  async render(run) {
    const a = run.activations;
    if (a.status !== 'ok') return unavailable(a, 'the probe stage');
    const gates = layerHistories(a.value).filter((h) => h.role === 'se-gate');
    if (gates.length === 0)
      return note(
        'No SE gate layers were tapped (the model has no squeeze-and-excitation blocks, or the probe did not tap them).',
      );
    const plots: Html[] = [];
    for (const [i, h] of gates.entries()) {
      const r = rows(h);
      if (r.shares.length || r.means.length) plots.push(await plot(`se-gate-${i}`, spec(h, r)));
    }
    return plots.length
      ? html`<div class="grid">${plots}</div>`
      : note('SE gate layers were tapped but carry no finite statistics.');
  },
};
