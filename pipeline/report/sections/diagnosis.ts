/** The diagnosis first: what went wrong, the numbers that show it, and what to try. */
import { html, note } from '../html.js';
import type { DiagnosisFile } from '../schemas.js';
import { unavailable, type Section } from './section.js';

type Finding = DiagnosisFile['findings'][number];

const finding = (f: Finding) => html`
<article class="finding ${f.severity}">
  <h3><span class="badge ${f.severity}">${f.severity}</span> ${f.title}</h3>
  ${f.where ? html`<p class="where">where: <code>${f.where}</code></p>` : ''}
  <p><strong>Evidence.</strong> ${f.evidence}</p>
  <p><strong>Try.</strong> ${f.suggestion}</p>
</article>`;

export const diagnosisSection: Section = {
  id: 'diagnosis',
  title: 'Diagnosis',
  async render(run) {
    const d = run.diagnosis;
    if (d.status !== 'ok') return unavailable(d, 'the diagnosis stage');
    const { findings, checked } = d.value;
    const head =
      findings.length === 0 ? note('No findings: every rule that could run came back clear.') : findings.map(finding);
    const rows = checked.map(
      (c) =>
        html`<tr class="${c.result}"><td><code>${c.rule}</code></td><td>${c.result}</td><td>${c.describes}${c.why ? html` — <em>${c.why}</em>` : ''}</td></tr>`,
    );
    const table =
      checked.length === 0
        ? ''
        : html`<details><summary>${checked.length} rules checked (${checked.filter((c) => c.result === 'skipped').length} skipped)</summary>
<table><thead><tr><th>rule</th><th>result</th><th>checks</th></tr></thead><tbody>${rows}</tbody></table></details>`;
    return html`${head}${table}`;
  },
};
