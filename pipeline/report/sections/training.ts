/** Loss and accuracy per mini-epoch, with chance accuracy drawn when the number of classes is known. */
import { seriesChart, type Point } from '../charts.js';
import { isFiniteNumber } from '../format.js';
import { html, note, type Html } from '../html.js';
import type { MetricsLine } from '../schemas.js';
import { plot } from '../plot.js';
import { unavailable, type Section } from './section.js';

type Field = 'trainLoss' | 'testLoss' | 'trainAccuracy' | 'testAccuracy' | 'testTop5';

function points(epochs: MetricsLine[], fields: Array<[Field, string]>): Point[] {
  return fields.flatMap(([field, series]) =>
    epochs.flatMap((e) => {
      const value = e[field];
      return isFiniteNumber(value) ? [{ miniEpoch: e.miniEpoch, series, value }] : [];
    }),
  );
}

export const trainingSection: Section = {
  id: 'training',
  title: 'Loss and accuracy',
  async render(run) {
    const m = run.metrics;
    if (m.status !== 'ok') return unavailable(m, 'the train stage');
    const { epochs, nonFinite } = m.value;
    const events = nonFinite.map(
      (e) =>
        html`<li>mini-epoch ${e.miniEpoch}: non-finite ${e.where ?? 'value'}${e.variable ? html` in <code>${e.variable}</code>` : ''}${e.message ? html` — ${e.message}` : ''}</li>`,
    );
    const warn = events.length ? note(html`Training hit NaN/Inf:<ul>${events}</ul>`, 'error') : '';
    const loss = points(epochs, [
      ['trainLoss', 'train'],
      ['testLoss', 'test'],
    ]);
    const acc = points(epochs, [
      ['trainAccuracy', 'train'],
      ['testAccuracy', 'test'],
      ['testTop5', 'test top-5'],
    ]);
    if (loss.length === 0 && acc.length === 0)
      return html`${warn}${note('metrics.jsonl has no finite loss or accuracy yet.')}`;
    const classes = run.manifest.status === 'ok' ? run.manifest.value.data?.classes : undefined;
    const plots: Html[] = [];
    if (loss.length)
      plots.push(await plot('loss', seriesChart({ title: 'Loss', yTitle: 'cross-entropy', points: loss })));
    if (acc.length) {
      plots.push(
        await plot(
          'accuracy',
          seriesChart({
            title: 'Accuracy',
            yTitle: 'accuracy',
            points: acc,
            domain: [0, 1],
            ...(classes ? { rule: { value: 1 / classes, label: `chance (1/${classes})` } } : {}),
          }),
        ),
      );
    }
    return html`${warn}<div class="row">${plots}</div>`;
  },
};
