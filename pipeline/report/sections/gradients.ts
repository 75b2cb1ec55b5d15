/** Gradient L2 norm per layer across mini-epochs, log y: vanishing gradients show as a spread of decades. */
import { seriesChart, type Point } from '../charts.js';
import { isFiniteNumber } from '../format.js';
import { html, note } from '../html.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

export const gradientsSection: Section = {
  id: 'gradients',
  title: 'Gradient norms per layer',
  async render(run) {
    const m = run.metrics;
    if (m.status !== 'ok') return unavailable(m, 'the train stage');
    const points: Point[] = [];
    const order: string[] = [];
    const zero = new Set<string>();
    for (const e of m.value.epochs) {
      for (const l of e.layers) {
        if (!order.includes(l.layer)) order.push(l.layer);
        // A log axis cannot show 0; a layer whose gradient is exactly 0 is listed below the plot instead.
        if (isFiniteNumber(l.gradNorm) && l.gradNorm > 0)
          points.push({ miniEpoch: e.miniEpoch, series: l.layer, value: l.gradNorm });
        else zero.add(`${l.layer} (mini-epoch ${e.miniEpoch}: ${l.gradNorm === 0 ? '0' : 'not finite'})`);
      }
    }
    if (points.length === 0)
      return note(
        order.length
          ? 'No positive finite gradient norm in metrics.jsonl.'
          : 'metrics.jsonl records no per-layer gradient norms.',
      );
    const caption = zero.size
      ? `Not drawn (log axis): ${[...zero].slice(0, 12).join('; ')}${zero.size > 12 ? ` and ${zero.size - 12} more` : ''}.`
      : 'Mean over each mini-epoch\u2019s steps of the layer\u2019s gradient L2 norm.';
    const spec = seriesChart({ title: 'Gradient norm', yTitle: '‖∇w‖₂ (log)', points, order, log: true, width: 560 });
    return html`${await plot('gradients', spec, caption)}`;
  },
};
