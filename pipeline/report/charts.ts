/** The chart shapes several sections share, as vega-lite specs. */
import type { TopLevelSpec } from 'vega-lite';

export interface Point {
  miniEpoch: number;
  series: string;
  value: number;
}

export interface SeriesChart {
  title: string;
  yTitle: string;
  points: Point[];
  /** Series order for colour and legend (defaults to first appearance). */
  order?: string[];
  log?: boolean;
  /** Fixed y domain, e.g. [0, 1] for accuracies. */
  domain?: [number, number];
  /** Horizontal reference line, e.g. chance accuracy. */
  rule?: { value: number; label: string };
  width?: number;
}

export function seriesChart(c: SeriesChart): TopLevelSpec {
  const order = c.order ?? [...new Set(c.points.map((p) => p.series))];
  const x = {
    field: 'miniEpoch',
    type: 'quantitative',
    title: 'mini-epoch',
    axis: { tickMinStep: 1, format: 'd' },
  } as const;
  const scale = c.log ? { type: 'log' as const } : c.domain ? { domain: c.domain } : { zero: false };
  return {
    title: c.title,
    width: c.width ?? 420,
    height: 220,
    layer: [
      {
        data: { values: c.points },
        mark: { type: 'line', point: true, strokeWidth: 1.6 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: c.yTitle, scale },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            sort: order,
            scale: order.length > 10 ? { scheme: 'tableau20' } : {},
          },
        },
      },
      ...(c.rule
        ? [
            {
              data: { values: [c.rule] },
              layer: [
                {
                  mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888' },
                  encoding: { y: { field: 'value', type: 'quantitative' as const } },
                },
                {
                  mark: { type: 'text' as const, align: 'left' as const, dx: 3, dy: -6, x: 0, color: '#666' },
                  encoding: { y: { field: 'value', type: 'quantitative' as const }, text: { field: 'label' } },
                },
              ],
            },
          ]
        : []),
    ],
  };
}
