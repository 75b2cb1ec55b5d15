import type { Rule } from '../rule.js';
import { latestProbe } from '../rule.js';

/** An SE gate layer with more than 90% of its gate values < 0.01 or > 0.99. */
export const SE_SATURATION = { share: 0.9 } as const;

export const seSaturation: Rule = {
  id: 'se-saturated',
  describes: `more than ${SE_SATURATION.share * 100}% of an SE gate's values are < 0.01 or > 0.99`,
  check(input) {
    const p = latestProbe(input);
    if (!p) return { skipped: 'no probe result' };
    const gates = p.layers.filter((l) => l.role === 'se-gate');
    if (gates.length === 0) return { skipped: 'no SE gate layers tapped' };
    const bad = gates
      .map((g) => ({ name: g.name, low: g.summary.lowFraction ?? 0, high: g.summary.highFraction ?? 0 }))
      .filter((g) => g.low + g.high > SE_SATURATION.share);
    if (bad.length === 0) return null;
    return {
      rule: this.id,
      severity: 'warning',
      title: 'SE gates saturated',
      evidence: `${bad
        .map((b) => `${b.name}: ${(b.low * 100).toFixed(1)}% of gates < 0.01, ${(b.high * 100).toFixed(1)}% > 0.99`)
        .join('; ')}.`,
      suggestion:
        "Saturated sigmoids pass no gradient: lower the excite layer's learning rate or weight decay, keep the near-1 regularizer small, or initialise the excite bias near 0.",
      where: bad[0].name,
    };
  },
};
