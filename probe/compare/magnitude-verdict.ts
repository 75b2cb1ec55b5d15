/**
 * "Are our activations in the range a trained ImageNet network shows?" in plain language with the numbers,
 * keeping two causes apart:
 *  - architecture: a network with batch norm holds every layer near unit scale by design, one without (AlexNet,
 *    SqueezeNet) grows with depth — SqueezeNet's maxima go from ≈ 15 to ≈ 600 on its photos. Between two such
 *    networks a std ratio says nothing about health, so no layer is called small for it;
 *  - training: a layer shrinking against its own earlier checkpoints (> STD_COLLAPSE.factor below its peak),
 *    or, between networks of the same kind, a layer > 10× below the reference at the same depth (input-normalised).
 */
import { z } from 'zod';
import { STD_COLLAPSE } from '../diagnosis/rules/std-collapse.js';
import type { ProbeResult } from '../schema.js';
import { pointAt, type DepthProfile } from './depth-profile.js';

export const SAME_KIND_SMALL = 0.1;

export const magnitudeVerdictSchema = z.object({
  /** One line for the terminal summary. */
  headline: z.string(),
  status: z.enum(['in range', 'smaller by design', 'collapse', 'much smaller than the reference']),
  range: z.string(),
  architecture: z.string(),
  training: z.string(),
  se: z.string().optional(),
  flagged: z.array(z.object({ layer: z.string(), reason: z.string() })),
});
export type MagnitudeVerdict = z.infer<typeof magnitudeVerdictSchema>;

export interface VerdictInput {
  /** Ours at the last checkpoint and every checkpoint probed (for the own-history check). */
  last: DepthProfile;
  history: ProbeResult[];
  reference: DepthProfile;
  referenceName: string;
  referencePretrained: boolean;
  oursBatchNorm: boolean;
  referenceBatchNorm: boolean;
  /** SE excitation pre-activations (tapped before the sigmoid): largest |z| per layer. */
  seLogits?: Array<{ layer: string; maxAbs: number }>;
}

const n = (v: number | null | undefined): string =>
  v === null || v === undefined
    ? '—'
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toPrecision(2);
const span = (p: DepthProfile, k: 'max' | 'p99' | 'std'): string => {
  const first = p.points[0]?.[k];
  const last = p.points[p.points.length - 1]?.[k];
  const peak = Math.max(...p.points.map((q) => q[k] ?? -Infinity));
  return `${n(first)} → ${n(last)}${Number.isFinite(peak) && peak !== last ? ` (peak ${n(peak)})` : ''}`;
};

export function magnitudeVerdict(v: VerdictInput): MagnitudeVerdict {
  const ref = `${v.referenceName}${v.referencePretrained ? ' (pretrained)' : ' (structure only, not pretrained)'}`;
  const range =
    `Ours at mini-epoch ${v.last.miniEpoch ?? '?'}, first → deepest conv: max ${span(v.last, 'max')}, p99 ${span(v.last, 'p99')}, std ${span(v.last, 'std')} (input std ${n(v.last.inputStd)}). ` +
    `${ref} on ${v.reference.source}: max ${span(v.reference, 'max')}, p99 ${span(v.reference, 'p99')}, std ${span(v.reference, 'std')} (input std ${n(v.reference.inputStd)}).`;
  const flagged: MagnitudeVerdict['flagged'] = [];
  const refFirst = v.reference.points[0]?.std ?? null;
  const refDeep = v.reference.points[v.reference.points.length - 1]?.std ?? null;
  const growth = refFirst && refDeep ? refDeep / refFirst : null;
  const sameKind = v.oursBatchNorm === v.referenceBatchNorm;
  let architecture: string;
  if (!sameKind) {
    architecture = v.oursBatchNorm
      ? `Architecture, not training: our network has batch norm, which keeps each layer near unit scale by design; ${v.referenceName} has none, so its activations grow with depth (std ×${n(growth)} from its first to its deepest conv) into the 100s. Our smaller values at depth come from that difference and are not a collapse; the std ratios against ${v.referenceName} are not a health measure.`
      : `Architecture: ${v.referenceName} has batch norm and ours has none, so ours may grow with depth where it stays near unit scale; ratios against it are not a health measure.`;
  } else {
    architecture = `Both networks ${v.oursBatchNorm ? 'have batch norm' : 'lack batch norm'}, so their magnitudes (divided by each input's std) compare layer for layer.`;
    for (const q of v.last.points) {
      const r = pointAt(v.reference, q.relativeDepth);
      if (!r || q.std === null || r.std === null || !v.last.inputStd || !v.reference.inputStd) continue;
      const ratio = q.std / v.last.inputStd / (r.std / v.reference.inputStd);
      if (ratio < SAME_KIND_SMALL)
        flagged.push({
          layer: q.layer,
          reason: `std/σin ${n(q.std / v.last.inputStd)} against ${n(r.std / v.reference.inputStd)} for ${r.layer} at the same depth (ratio ${n(ratio)})`,
        });
    }
    if (flagged.length)
      architecture += ` Much smaller than the reference at the same depth: ${flagged.map((f) => `${f.layer} (${f.reason})`).join('; ')}.`;
  }
  const sameKindFlags = flagged.length;
  // Training: every conv layer of ours against its own peak over the probed checkpoints.
  const shrunk: Array<{ layer: string; peak: number; peakAt: number; now: number }> = [];
  let weakest: { layer: string; share: number } | null = null;
  for (const q of v.last.points) {
    let peak = { std: 0, at: 0 };
    for (const [i, p] of v.history.entries()) {
      const s = p.layers.find((l) => l.name === q.layer)?.summary.std ?? null;
      if (s !== null && s > peak.std) peak = { std: s, at: p.miniEpoch ?? i };
    }
    if (q.std === null || peak.std === 0) continue;
    const share = q.std / peak.std;
    if (!weakest || share < weakest.share) weakest = { layer: q.layer, share };
    if (q.std * STD_COLLAPSE.factor < peak.std)
      shrunk.push({ layer: q.layer, peak: peak.std, peakAt: peak.at, now: q.std });
  }
  for (const s of shrunk)
    flagged.push({
      layer: s.layer,
      reason: `std ${n(s.peak)} at mini-epoch ${s.peakAt} → ${n(s.now)} now (own history)`,
    });
  const training =
    v.history.length < 2
      ? 'Training: only one checkpoint was probed, so no layer can be compared with its own history.'
      : shrunk.length
        ? `Training: ${shrunk.map((s) => `${s.layer} shrank from std ${n(s.peak)} (mini-epoch ${s.peakAt}) to ${n(s.now)}`).join('; ')} — more than ${STD_COLLAPSE.factor}× below its own peak: this is the collapse to look at.`
        : `Training: no conv layer fell more than ${STD_COLLAPSE.factor}× below its own peak over ${v.history.length} checkpoints${weakest ? ` (lowest now/peak std: ${weakest.layer} at ${n(weakest.share)})` : ''}.`;
  const se = v.seLogits?.length
    ? `SE excitations, read before the sigmoid: largest |z| ${v.seLogits.map((s) => `${s.layer} ${n(s.maxAbs)}`).join(', ')}${v.seLogits.some((s) => s.maxAbs > 10) ? ' (above 10 the gate is pinned at 0 or 1)' : ''}.`
    : undefined;
  const status: MagnitudeVerdict['status'] = shrunk.length
    ? 'collapse'
    : sameKindFlags
      ? 'much smaller than the reference'
      : !sameKind && v.oursBatchNorm
        ? 'smaller by design'
        : 'in range';
  const oursMax = Math.max(...v.last.points.map((q) => q.max ?? -Infinity));
  const refMax = Math.max(...v.reference.points.map((q) => q.max ?? -Infinity));
  const headline = {
    collapse: `collapse: ${shrunk.map((s) => s.layer).join(', ')} shrank > ${STD_COLLAPSE.factor}× against its own earlier checkpoints`,
    'much smaller than the reference': `much smaller than ${v.referenceName} at the same depth: ${flagged
      .slice(0, sameKindFlags)
      .map((f) => f.layer)
      .join(', ')}`,
    'smaller by design': `ours max ${n(oursMax)} vs ${v.referenceName} ${n(refMax)}: expected (batch norm in ours, none in the reference); no layer shrank against its own history`,
    'in range': `ours max ${n(oursMax)} vs ${v.referenceName} ${n(refMax)}: in range; no layer shrank against its own history`,
  }[status];
  return { headline, status, range, architecture, training, ...(se ? { se } : {}), flagged };
}
