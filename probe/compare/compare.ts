/**
 * `compare.json`: per matched layer, our p1/p50/p99/max/std and the reference's, raw and normalised by each
 * model's input std (so 0–255 Caffe inputs and [0, 1] inputs compare), and a verdict on the std ratio:
 *   ratio < 0.1 "much smaller", < 1/3 "smaller", ≤ 3 "comparable", ≤ 10 "larger", else "much larger";
 *   "dead" when more than half of our channels are dead (zero ≥ 99% of the time), whatever the ratio.
 */
import { z } from 'zod';
import type { ProbeLayer, ProbeResult } from '../schema.js';
import { matchLayers } from './match.js';

const stats = z.object({ p1: z.number().nullable(), p50: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable(), std: z.number().nullable(), zeroFraction: z.number().nullable() });
export const verdictSchema = z.enum(['comparable', 'smaller', 'much smaller', 'larger', 'much larger', 'dead', 'no match', 'unknown']);

export const compareSchema = z.object({
  schemaVersion: z.literal(1),
  model: z.string(),
  reference: z.object({ model: z.string(), card: z.string(), label: z.string().optional() }),
  inputStd: z.object({ ours: z.number().nullable(), reference: z.number().nullable() }),
  rows: z.array(z.object({
    layer: z.string(),
    role: z.string(),
    reference: z.string().nullable(),
    relativeDepth: z.number().nullable(),
    ours: stats,
    referenceStats: stats.nullable(),
    oursNormalised: stats,
    referenceNormalised: stats.nullable(),
    stdRatio: z.number().nullable(),
    verdict: verdictSchema,
  })),
});

export type CompareResult = z.infer<typeof compareSchema>;
type Stats = z.infer<typeof stats>;
export type Verdict = z.infer<typeof verdictSchema>;

const pick = (l: ProbeLayer): Stats => ({ p1: l.summary.p1, p50: l.summary.p50, p99: l.summary.p99, max: l.summary.max, std: l.summary.std, zeroFraction: l.summary.zeroFraction });

function normalise(s: Stats, by: number | null): Stats {
  const d = (v: number | null): number | null => (v === null || by === null || by === 0 ? null : v / by);
  return { p1: d(s.p1), p50: d(s.p50), p99: d(s.p99), max: d(s.max), std: d(s.std), zeroFraction: s.zeroFraction };
}

export function verdictFor(ratio: number | null, deadShare: number): Verdict {
  if (deadShare > 0.5) return 'dead';
  if (ratio === null || !Number.isFinite(ratio)) return 'unknown';
  if (ratio < 0.1) return 'much smaller';
  if (ratio < 1 / 3) return 'smaller';
  if (ratio <= 3) return 'comparable';
  if (ratio <= 10) return 'larger';
  return 'much larger';
}

export function compareProbes(ours: ProbeResult, ref: ProbeResult): CompareResult {
  const inOurs = ours.input.summary.std;
  const inRef = ref.input.summary.std;
  return {
    schemaVersion: 1,
    model: ours.model,
    reference: { model: ref.model, card: ref.card, ...(ref.label ? { label: ref.label } : {}) },
    inputStd: { ours: inOurs, reference: inRef },
    rows: matchLayers(ours.layers, ref.layers).map((m) => {
      const o = normalise(pick(m.ours), inOurs);
      const r = m.reference ? normalise(pick(m.reference), inRef) : null;
      const ratio = r && o.std !== null && r.std ? o.std / r.std : null;
      const deadShare = m.ours.summary.deadChannels / Math.max(1, m.ours.channels.min.length);
      return {
        layer: m.ours.name, role: m.ours.role, reference: m.reference?.name ?? null, relativeDepth: m.relativeDepth,
        ours: pick(m.ours), referenceStats: m.reference ? pick(m.reference) : null, oursNormalised: o, referenceNormalised: r,
        stdRatio: ratio, verdict: m.reference ? verdictFor(ratio, deadShare) : deadShare > 0.5 ? 'dead' : 'no match',
      };
    }),
  };
}

/** The comparison as an aligned text table for the terminal. */
export function formatCompare(c: CompareResult): string {
  const f = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(2));
  const head = ['layer', 'ref', 'p99/σin', 'ref p99/σin', 'std/σin', 'ref std/σin', 'ratio', 'verdict'];
  const rows = c.rows.map((r) => [r.layer, r.reference ?? '—', f(r.oursNormalised.p99), f(r.referenceNormalised?.p99), f(r.oursNormalised.std), f(r.referenceNormalised?.std), f(r.stdRatio), r.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((v, i) => v.padEnd(widths[i])).join('  ');
  const title = `vs ${c.reference.card}${c.reference.label ? ` (${c.reference.label})` : ''}; input std ours ${f(c.inputStd.ours)}, reference ${f(c.inputStd.reference)}`;
  return [title, line(head), ...rows.map(line)].join('\n');
}
