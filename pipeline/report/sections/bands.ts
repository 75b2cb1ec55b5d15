/**
 * The seed's own plot, per tapped layer: for each watch image, the band from the smallest per-channel minimum
 * to the largest per-channel maximum across mini-epochs, and the layer's std on a right axis.
 */
import type { TopLevelSpec } from 'vega-lite';
import { finiteMax, finiteMin, isFiniteNumber } from '../format.js';
import { html, note, type Html } from '../html.js';
import { layerHistories, type LayerHistory } from '../layer-history.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

interface Band {
  miniEpoch: number;
  image: string;
  lo: number;
  hi: number;
}

function bands(h: LayerHistory): Band[] {
  return h.entries.flatMap(({ miniEpoch, layer, watchImages }) =>
    layer.watch.min.flatMap((mins, i) => {
      const lo = finiteMin(mins);
      const hi = finiteMax(layer.watch.max[i] ?? []);
      return lo === null || hi === null ? [] : [{ miniEpoch, image: watchImages[i] ?? `image ${i}`, lo, hi }];
    }),
  );
}

const stds = (h: LayerHistory): Array<{ miniEpoch: number; std: number }> =>
  h.entries.flatMap((e) =>
    isFiniteNumber(e.layer.summary.std) ? [{ miniEpoch: e.miniEpoch, std: e.layer.summary.std }] : [],
  );

function bandSpec(h: LayerHistory, rows: Band[], std: Array<{ miniEpoch: number; std: number }>): TopLevelSpec {
  const x = {
    field: 'miniEpoch',
    type: 'quantitative',
    title: 'mini-epoch',
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const color = {
    field: 'image',
    type: 'nominal',
    title: 'watch image',
    legend: { orient: 'bottom', direction: 'vertical', symbolOpacity: 1 },
  } as const;
  const y = { field: 'lo', type: 'quantitative', title: 'channel min … max', scale: { zero: false } } as const;
  return {
    title: { text: h.name, subtitle: `${h.role} · ${h.entries[h.entries.length - 1].layer.op}` },
    width: 260,
    height: 160,
    layer: [
      {
        data: { values: rows },
        layer: [
          { mark: { type: 'area', opacity: 0.15 }, encoding: { x, y, y2: { field: 'hi' }, color } },
          // Edges with points: the band stays readable where images overlap, and one mini-epoch still shows.
          { mark: { type: 'line', point: { size: 16 }, strokeWidth: 1.4 }, encoding: { x, y, color } },
          {
            mark: { type: 'line', point: { size: 16 }, strokeWidth: 1.4 },
            encoding: { x, y: { field: 'hi', type: 'quantitative' }, color },
          },
        ],
      },
      {
        data: { values: std },
        mark: { type: 'line', point: { filled: true, color: '#222', size: 18 }, color: '#222', strokeDash: [5, 3] },
        encoding: {
          x,
          y: {
            field: 'std',
            type: 'quantitative',
            title: 'layer std (dashed)',
            axis: { orient: 'right' },
            scale: { zero: false },
          },
        },
      },
    ],
    // Activations in the hundreds next to a std near 1: each needs its own scale (the seed's dual-axis plot).
    resolve: { scale: { y: 'independent' } },
  };
}

export const bandsSection: Section = {
  id: 'bands',
  title: 'Activation range per layer and watch image',
  async render(run) {
    const a = run.activations;
    if (a.status !== 'ok') return unavailable(a, 'the probe stage');
    const layers = layerHistories(a.value);
    if (layers.length === 0) return note('activations.jsonl holds no tapped layers.');
    const plots: Html[] = [];
    const withoutWatch: string[] = [];
    for (const [i, h] of layers.entries()) {
      const rows = bands(h);
      const std = stds(h);
      if (rows.length === 0) withoutWatch.push(h.name);
      // Nothing finite to draw (NaN throughout): the heatmap and diagnosis say so; an empty frame would not.
      if (rows.length || std.length) plots.push(await plot(`band-${i}`, bandSpec(h, rows, std)));
    }
    const missing = withoutWatch.length
      ? note(`No finite watch-image min/max for ${withoutWatch.join(', ')}: only the std is drawn, if any.`)
      : '';
    return html`${missing}<div class="grid">${plots}</div>`;
  },
};
