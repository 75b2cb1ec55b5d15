/**
 * `compare.json`: per matched layer, our p1/p50/p99/max/std and the reference's, raw and normalised by each
 * model's input std (so 0–255 Caffe inputs and [0, 1] inputs compare), and a verdict on the std ratio:
 *   ratio < 0.1 "much smaller", < 1/3 "smaller", ≤ 3 "comparable", ≤ 10 "larger", else "much larger";
 *   "dead" when more than half of our channels are dead (zero ≥ 99% of the time), whatever the ratio;
 *   "batch-norm scale" instead of smaller/much smaller when exactly one of the two networks has batch norm (its
 *   layers sit near unit scale by design, the other's grow with depth: the ratio is not a health measure).
 * `magnitudes` (the pipeline adds it) holds the depth profiles and the plain-language verdict (magnitude-verdict.ts).
 */
import { z } from 'zod';
import type { ProbeLayer, ProbeResult } from '../schema.js';
import { STRUCTURE_ONLY_LABEL } from '../cards/builtin.js';
import { depthProfileSchema } from './depth-profile.js';
import { magnitudeVerdictSchema } from './magnitude-verdict.js';
import { matchLayers } from './match.js';

const stats = z.object({
  p1: z.number().nullable(),
  p50: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
  std: z.number().nullable(),
  zeroFraction: z.number().nullable(),
});
export const verdictSchema = z.enum([
  'comparable',
  'smaller',
  'much smaller',
  'batch-norm scale',
  'larger',
  'much larger',
  'dead',
  'no match',
  'unknown',
]);

export const compareSchema = z.object({
  schemaVersion: z.literal(1),
  model: z.string(),
  /** `pretrained`: the card's flag (real trained weights); `why`: how the reference was chosen. */
  reference: z.object({
    model: z.string(),
    card: z.string(),
    label: z.string().optional(),
    pretrained: z.boolean().optional(),
    why: z.string().optional(),
    batchNorm: z.boolean().optional(),
  }),
  oursBatchNorm: z.boolean().optional(),
  inputStd: z.object({ ours: z.number().nullable(), reference: z.number().nullable() }),
  rows: z.array(
    z.object({
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
    }),
  ),
  magnitudes: z
    .object({
      /** Ours at the first and the last probed checkpoint. */
      ours: z.array(depthProfileSchema),
      /** The reference on its own photos (its natural input) and on our probe images. */
      reference: depthProfileSchema,
      referenceOnOurs: depthProfileSchema,
      verdict: magnitudeVerdictSchema,
    })
    .optional(),
});

export type CompareResult = z.infer<typeof compareSchema>;
type Stats = z.infer<typeof stats>;
export type Verdict = z.infer<typeof verdictSchema>;

const pick = (l: ProbeLayer): Stats => ({
  p1: l.summary.p1,
  p50: l.summary.p50,
  p99: l.summary.p99,
  max: l.summary.max,
  std: l.summary.std,
  zeroFraction: l.summary.zeroFraction,
});

function normalise(s: Stats, by: number | null): Stats {
  const d = (v: number | null): number | null => (v === null || by === null || by === 0 ? null : v / by);
  return { p1: d(s.p1), p50: d(s.p50), p99: d(s.p99), max: d(s.max), std: d(s.std), zeroFraction: s.zeroFraction };
}

export function verdictFor(ratio: number | null, deadShare: number, batchNormDiffers = false): Verdict {
  if (deadShare > 0.5) return 'dead';
  if (ratio === null || !Number.isFinite(ratio)) return 'unknown';
  if (ratio < 1 / 3 && batchNormDiffers) return 'batch-norm scale';
  if (ratio < 0.1) return 'much smaller';
  if (ratio < 1 / 3) return 'smaller';
  if (ratio <= 3) return 'comparable';
  if (ratio <= 10) return 'larger';
  return 'much larger';
}

export interface CompareOptions {
  /** The reference card's flag; without it a reference counts as pretrained only when unlabelled. */
  pretrained?: boolean;
  oursBatchNorm?: boolean;
  referenceBatchNorm?: boolean;
  why?: string;
}

export function compareProbes(ours: ProbeResult, ref: ProbeResult, opts: CompareOptions = {}): CompareResult {
  const inOurs = ours.input.summary.std;
  const inRef = ref.input.summary.std;
  const pretrained = opts.pretrained ?? !ref.label;
  const bnDiffers =
    opts.oursBatchNorm !== undefined &&
    opts.referenceBatchNorm !== undefined &&
    opts.oursBatchNorm !== opts.referenceBatchNorm;
  return {
    schemaVersion: 1,
    model: ours.model,
    reference: {
      model: ref.model,
      card: ref.card,
      ...(ref.label ? { label: ref.label } : !pretrained ? { label: STRUCTURE_ONLY_LABEL } : {}),
      pretrained,
      ...(opts.why ? { why: opts.why } : {}),
      ...(opts.referenceBatchNorm !== undefined ? { batchNorm: opts.referenceBatchNorm } : {}),
    },
    ...(opts.oursBatchNorm !== undefined ? { oursBatchNorm: opts.oursBatchNorm } : {}),
    inputStd: { ours: inOurs, reference: inRef },
    rows: matchLayers(ours.layers, ref.layers).map((m) => {
      const o = normalise(pick(m.ours), inOurs);
      const r = m.reference ? normalise(pick(m.reference), inRef) : null;
      const ratio = r && o.std !== null && r.std ? o.std / r.std : null;
      const deadShare = m.ours.summary.deadChannels / Math.max(1, m.ours.channels.min.length);
      return {
        layer: m.ours.name,
        role: m.ours.role,
        reference: m.reference?.name ?? null,
        relativeDepth: m.relativeDepth,
        ours: pick(m.ours),
        referenceStats: m.reference ? pick(m.reference) : null,
        oursNormalised: o,
        referenceNormalised: r,
        stdRatio: ratio,
        verdict: m.reference ? verdictFor(ratio, deadShare, bnDiffers) : deadShare > 0.5 ? 'dead' : 'no match',
      };
    }),
  };
}

/** The comparison as an aligned text table for the terminal. */
export function formatCompare(c: CompareResult): string {
  const f = (v: number | null | undefined): string =>
    v === null || v === undefined
      ? '—'
      : Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0)
        ? v.toExponential(1)
        : v.toFixed(2);
  const head = ['layer', 'ref', 'p99/σin', 'ref p99/σin', 'std/σin', 'ref std/σin', 'ratio', 'verdict'];
  const rows = c.rows.map((r) => [
    r.layer,
    r.reference ?? '—',
    f(r.oursNormalised.p99),
    f(r.referenceNormalised?.p99),
    f(r.oursNormalised.std),
    f(r.referenceNormalised?.std),
    f(r.stdRatio),
    r.verdict,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((v, i) => v.padEnd(widths[i])).join('  ');
  const kind =
    c.reference.pretrained === false || c.reference.label ? (c.reference.label ?? STRUCTURE_ONLY_LABEL) : 'pretrained';
  const title = `vs ${c.reference.card} (${kind}); input std ours ${f(c.inputStd.ours)}, reference ${f(c.inputStd.reference)}`;
  const v = c.magnitudes?.verdict;
  const verdict = v
    ? ['', 'Are these magnitudes normal?', v.range, v.architecture, v.training, ...(v.se ? [v.se] : [])]
    : [];
  return [title, line(head), ...rows.map(line), ...verdict].join('\n');
}
