/**
 * The first mini-epoch at which each diagnosis rule fired: the rules run again on every prefix of the run's
 * history (metrics and probes up to mini-epoch k), exactly as they would have run had training stopped there.
 */
import { diagnose, type TrainingHistory } from '../../probe/index.js';
import type { ProbeResult } from '../../probe/schema.js';

export interface FirstFired {
  rule: string;
  title: string;
  miniEpoch: number;
  /** False when the rule no longer fires on the whole history (e.g. accuracy left chance later). */
  stillFiring: boolean;
}

export function firstFired(history: TrainingHistory, probes: ProbeResult[], classes: number | undefined): FirstFired[] {
  const ks = [
    ...new Set([
      ...history.epochs.map((e) => e.miniEpoch),
      ...history.nonFinite.map((e) => e.miniEpoch),
      ...probes.map((p) => p.miniEpoch ?? 0),
    ]),
  ].sort((a, b) => a - b);
  const seen = new Map<string, FirstFired>();
  for (const k of ks) {
    const prefix = {
      history: {
        epochs: history.epochs.filter((e) => e.miniEpoch <= k),
        nonFinite: history.nonFinite.filter((e) => e.miniEpoch <= k),
      },
      probes: probes.filter((p) => (p.miniEpoch ?? 0) <= k),
      classes,
    };
    const findings = diagnose(prefix).findings;
    const now = new Set(findings.map((f) => f.rule));
    for (const f of findings)
      if (!seen.has(f.rule)) seen.set(f.rule, { rule: f.rule, title: f.title, miniEpoch: k, stillFiring: true });
    // After the last prefix, `stillFiring` says whether the rule holds for the run as it stands.
    for (const v of seen.values()) v.stillFiring = now.has(v.rule);
  }
  return [...seen.values()].sort((a, b) => a.miniEpoch - b.miniEpoch);
}
