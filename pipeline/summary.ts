import type { PipelineResult } from './run-pipeline.js';

/** The closing table of `npm run pipeline`: accuracy, diagnosis headlines, where the report is. */
export function formatSummary(r: PipelineResult, out: string, backend: string): string {
  const lines: string[] = [''];
  const stageWidth = Math.max(...Object.keys(r.stages).map((s) => s.length));
  lines.push(`${'stage'.padEnd(stageWidth)}  seconds`);
  for (const [name, s] of Object.entries(r.stages))
    lines.push(`${name.padEnd(stageWidth)}  ${s.toFixed(1).padStart(7)}`);
  lines.push('');
  lines.push(`test accuracy      ${r.testAccuracy.toFixed(4)}  (${r.dataName}, ${r.testImages} test images)`);
  lines.push(`tfjs backend       ${backend}`);
  lines.push(`onnxruntime EP     ${r.executionProvider ?? 'not run'}`);
  lines.push(
    `export parity      ${r.parity.passed ? 'PASS' : 'FAIL'}${r.parity.worst ? ` (worst ${r.parity.worst.layer}: ${r.parity.worst.relToScale.toExponential(2)} of scale)` : ''}`,
  );
  lines.push(`reference          ${r.reference}`);
  if (r.magnitudes) lines.push(`magnitudes         ${r.magnitudes}`);
  if (r.diagnosis.findings.length === 0) lines.push('diagnosis          no findings');
  for (const [i, f] of r.diagnosis.findings.entries())
    lines.push(
      `${i === 0 ? 'diagnosis' : ''.padEnd(9)}          [${f.severity}] ${f.title}${f.where ? ` (${f.where})` : ''}`,
    );
  lines.push(`report             ${r.reportPath}`);
  lines.push(`run folder         ${out}`);
  return lines.join('\n');
}
