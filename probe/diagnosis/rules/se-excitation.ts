import type { Rule } from '../rule.js';
import { latestProbe } from '../rule.js';

/**
 * SE excitation logits z (the sigmoid's input) recovered from gate outputs s as z = ln(s / (1 − s)), per
 * channel from its min and max; triggers when more than 25% of a gate's channels reach |z| > 10.
 */
export const SE_EXCITATION = { magnitude: 10, share: 0.25 } as const;

const logit = (s: number): number => (s <= 0 ? -Infinity : s >= 1 ? Infinity : Math.log(s / (1 - s)));

export const seExcitation: Rule = {
  id: 'se-excitation-magnitude',
  describes: `more than ${SE_EXCITATION.share * 100}% of an SE gate's channels have excitation |z| > ${SE_EXCITATION.magnitude}`,
  check(input) {
    const p = latestProbe(input);
    if (!p) return { skipped: 'no probe result' };
    const gates = p.layers.filter((l) => l.role === 'se-gate');
    if (gates.length === 0) return { skipped: 'no SE gate layers tapped' };
    const bad = gates.map((g) => {
      const z = g.channels.min.map((lo, c) => Math.max(Math.abs(logit(lo ?? 0.5)), Math.abs(logit(g.channels.max[c] ?? 0.5))));
      return { name: g.name, over: z.filter((v) => v > SE_EXCITATION.magnitude).length, total: z.length, top: Math.max(...z) };
    }).filter((g) => g.over / g.total > SE_EXCITATION.share);
    if (bad.length === 0) return null;
    return {
      rule: this.id, severity: 'warning', title: 'SE excitations are large',
      evidence: bad.map((b) => `${b.name}: ${b.over}/${b.total} channels reach |z| > ${SE_EXCITATION.magnitude} (largest ${Number.isFinite(b.top) ? b.top.toFixed(1) : '∞'})`).join('; ') + '.',
      suggestion: 'Large excite pre-activations pin the gates at 0 or 1. Normalise the squeeze input (BN before SE), shrink the excite weights\' init, or add weight decay on the SE dense layers.',
      where: bad[0].name,
    };
  },
};
