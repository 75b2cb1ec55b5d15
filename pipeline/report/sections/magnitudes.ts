/**
 * "Are activations in the 100s normal?": per conv layer at relative depth, p99, max and std (log axes) and the
 * zero share, ours at the first and last checkpoints against the reference on its own photos; then the verdict
 * from compare.json (probe/compare/magnitude-verdict.ts), which keeps architecture and training apart.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CompareResult } from '../../../probe/compare/compare.js';
import type { DepthProfile } from '../../../probe/compare/depth-profile.js';
import { isFiniteNumber } from '../format.js';
import { html, note } from '../html.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

type Stat = 'p99' | 'max' | 'std' | 'zeroFraction';
interface Dot {
  who: string;
  layer: string;
  depth: number;
  value: number;
}

const COLOURS = ['#9db8de', '#3b6fb6', '#e39b3a'];

function dots(profiles: DepthProfile[], stat: Stat, log: boolean): Dot[] {
  return profiles
    .flatMap((p) =>
      p.points.map((q) => ({ who: p.who, layer: q.layer, depth: q.relativeDepth, value: q[stat] as number })),
    )
    .filter((d) => isFiniteNumber(d.value) && (!log || d.value > 0));
}

function spec(profiles: DepthProfile[], stat: Stat, title: string, log: boolean): TopLevelSpec {
  const order = profiles.map((p) => p.who);
  return {
    title,
    width: 260,
    height: 190,
    data: { values: dots(profiles, stat, log) },
    mark: { type: 'line', point: { filled: true, size: 40 } },
    encoding: {
      x: { field: 'depth', type: 'quantitative', scale: { domain: [0, 1] }, title: 'relative depth among convs' },
      y: {
        field: 'value',
        type: 'quantitative',
        scale: log ? { type: 'log' } : { domain: [0, 1] },
        title: log ? `${stat} (log)` : 'zero share',
      },
      color: {
        field: 'who',
        type: 'nominal',
        title: null,
        sort: order,
        scale: { domain: order, range: COLOURS.slice(3 - order.length) },
        legend: { labelLimit: 300 },
      },
      tooltip: [{ field: 'who' }, { field: 'layer' }, { field: 'value', format: '.3g' }],
    },
  };
}

export const magnitudesSection: Section = {
  id: 'magnitudes',
  title: 'Magnitudes against depth: are activations in the 100s normal?',
  async render(run) {
    const cmp = run.compare;
    if (cmp.status !== 'ok') return unavailable(cmp, html`the reference comparison stage`);
    const c: CompareResult = cmp.value;
    const m = c.magnitudes;
    if (!m)
      return note('compare.json has no depth profiles (written by an older actprobe); rerun the pipeline to get them.');
    const profiles = [...m.ours, m.reference];
    const plots = [];
    for (const [stat, title, log] of [
      ['p99', '99th percentile', true],
      ['max', 'maximum', true],
      ['std', 'standard deviation', true],
      ['zeroFraction', 'share of exact zeros', false],
    ] as const) {
      plots.push(await plot(`magnitude-${stat.toLowerCase()}`, spec(profiles, stat, title, log)));
    }
    const v = m.verdict;
    return html`<p class="magnitude-verdict ${v.status.replace(/ /g, '-')}"><strong>${v.headline}</strong></p>
<ul class="magnitude-reasons"><li>${v.range}</li><li>${v.architecture}</li><li>${v.training}</li>${v.se ? html`<li>${v.se}</li>` : ''}</ul>
<div class="row">${plots}</div>
<p class="caption">Raw values, as a probe prints them (input std: ours ${fmtNum(m.ours[0]?.inputStd)}, reference ${fmtNum(m.reference.inputStd)}).
The reference ran on ${m.reference.source}, its natural input; on our probe images it shows max ${fmtNum(peak(m.referenceOnOurs, 'max'))}, p99 up to ${fmtNum(peak(m.referenceOnOurs, 'p99'))}.</p>`;
  },
};

const peak = (p: DepthProfile, k: 'max' | 'p99'): number | null => {
  const v = p.points.map((q) => q[k]).filter(isFiniteNumber);
  return v.length ? Math.max(...v) : null;
};
const fmtNum = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toPrecision(3);
