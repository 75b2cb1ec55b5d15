import type { ProbeResult } from '../schema.js';

const f = (v: number | null | undefined): string =>
  v === null || v === undefined
    ? 'NaN'
    : v === 0
      ? '0'
      : Math.abs(v) >= 1000 || Math.abs(v) < 0.001
        ? v.toExponential(2)
        : v.toPrecision(3);

/** The probe result as a terminal table: one row per tapped layer. */
export function formatProbe(r: ProbeResult): string {
  const head = ['layer', 'op', 'shape', 'mean', 'std', 'p1', 'p50', 'p99', 'max', 'zero%', 'dead'];
  const rows = [r.input, ...r.layers].map((l) => [
    l.name,
    l.op,
    l.shape.slice(1).join('×'),
    f(l.summary.mean),
    f(l.summary.std),
    f(l.summary.p1),
    f(l.summary.p50),
    f(l.summary.p99),
    f(l.summary.max),
    l.summary.zeroFraction === null ? 'NaN' : (l.summary.zeroFraction * 100).toFixed(1),
    `${l.summary.deadChannels}/${l.channels.min.length}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]): string => row.map((v, i) => v.padEnd(widths[i])).join('  ');
  const title = `${r.model}${r.label ? ` (${r.label})` : ''}: ${r.images} images from ${r.source}, card ${r.card}, ran on ${r.executionProvider} (${r.seconds.toFixed(1)} s; ${r.coverage.note})`;
  return [title, line(head), ...rows.map(line)].join('\n');
}
