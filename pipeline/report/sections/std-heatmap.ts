/** Layer × mini-epoch heatmap of activation std on a log colour scale: collapse and explosion show as colour drift. */
import type { TopLevelSpec } from 'vega-lite';
import { isFiniteNumber } from '../format.js';
import { html, note } from '../html.js';
import { layerHistories, miniEpochsOf } from '../layer-history.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

interface Cell {
  layer: string;
  miniEpoch: number;
  std: number;
}
interface Flat {
  layer: string;
  miniEpoch: number;
  label: string;
}

function spec(order: string[], cells: Cell[], flat: Flat[], epochs: number): TopLevelSpec {
  const x = { field: 'miniEpoch', type: 'ordinal', title: 'mini-epoch' } as const;
  const y = { field: 'layer', type: 'nominal', title: null, sort: order } as const;
  return {
    width: Math.max(240, Math.min(900, 44 * epochs)),
    height: Math.max(60, 20 * order.length),
    layer: [
      {
        data: { values: cells },
        mark: 'rect',
        encoding: {
          x,
          y,
          color: { field: 'std', type: 'quantitative', title: 'std (log)', scale: { type: 'log', scheme: 'viridis' } },
        },
      },
      // A log scale has no place for 0 or NaN; those cells are grey with their value written in.
      ...(flat.length
        ? [
            {
              data: { values: flat },
              layer: [
                { mark: { type: 'rect' as const, color: '#ddd' }, encoding: { x, y } },
                {
                  mark: { type: 'text' as const, fontSize: 9, color: '#900' },
                  encoding: { x, y, text: { field: 'label' } },
                },
              ],
            },
          ]
        : []),
    ],
  };
}

export const stdHeatmapSection: Section = {
  id: 'std-heatmap',
  title: 'Activation std per layer and mini-epoch',
  async render(run) {
    const a = run.activations;
    if (a.status !== 'ok') return unavailable(a, 'the probe stage');
    const layers = layerHistories(a.value);
    if (layers.length === 0) return note('activations.jsonl holds no tapped layers.');
    const cells: Cell[] = [];
    const flat: Flat[] = [];
    for (const h of layers) {
      for (const { miniEpoch, layer } of h.entries) {
        const std = layer.summary.std;
        if (isFiniteNumber(std) && std > 0) cells.push({ layer: h.name, miniEpoch, std });
        else flat.push({ layer: h.name, miniEpoch, label: std === 0 ? '0' : 'NaN' });
      }
    }
    const epochs = new Set(miniEpochsOf(a.value)).size;
    const caption = 'Rows from input (top) to output; grey cells: std 0 or not finite.';
    return html`${await plot(
      'std-heatmap',
      spec(
        layers.map((h) => h.name),
        cells,
        flat,
        epochs,
      ),
      caption,
    )}`;
  },
};
