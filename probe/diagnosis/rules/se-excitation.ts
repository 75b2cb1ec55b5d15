import type { Rule } from '../rule.js';
import { latestProbe } from '../rule.js';

/**
 * SE excitation pre-activations z (the gate sigmoid's input, tapped as role 'se-excite'), per channel from its
 * min and max; triggers when more than 25% of a block's channels reach |z| > 10. Probes made before that tap
 * existed only have the gate outputs s: z is then recovered as ln(s / (1 − s)) and the evidence says so
 * (a gate saturated to 1 in float32 then reads as |z| = ∞).
 */
export const SE_EXCITATION = { magnitude: 10, share: 0.25 } as const;

const logit = (s: number): number => (s <= 0 ? -Infinity : s >= 1 ? Infinity : Math.log(s / (1 - s)));

export const seExcitation: Rule = {
  id: 'se-excitation-magnitude',
  describes: `more than ${SE_EXCITATION.share * 100}% of an SE block's channels have excitation |z| > ${SE_EXCITATION.magnitude} (z read before the sigmoid)`,
  check(input) {
    const p = latestProbe(input);
    if (!p) return { skipped: 'no probe result' };
    const tapped = p.layers.filter((l) => l.role === 'se-excite');
    const gates = p.layers.filter((l) => l.role === 'se-gate');
    if (tapped.length === 0 && gates.length === 0) return { skipped: 'no SE gate layers tapped' };
    const recovered = tapped.length === 0;
    const zs = recovered
      ? gates.map((g) => ({
          name: g.name,
          z: g.channels.min.map((lo, c) =>
            Math.max(Math.abs(logit(lo ?? 0.5)), Math.abs(logit(g.channels.max[c] ?? 0.5))),
          ),
        }))
      : tapped.map((l) => ({
          name: l.name,
          z: l.channels.min.map((lo, c) => Math.max(Math.abs(lo ?? 0), Math.abs(l.channels.max[c] ?? 0))),
        }));
    const bad = zs
      .map(({ name, z }) => ({
        name,
        over: z.filter((v) => v > SE_EXCITATION.magnitude).length,
        total: z.length,
        top: Math.max(...z),
      }))
      .filter((g) => g.over / g.total > SE_EXCITATION.share);
    if (bad.length === 0) return null;
    const how = recovered
      ? ' (recovered from the gate outputs: this probe has no pre-sigmoid tap, so saturated gates read as ∞)'
      : '';
    return {
      rule: this.id,
      severity: 'warning',
      title: 'SE excitations are large',
      evidence:
        bad
          .map(
            (b) =>
              `${b.name}: ${b.over}/${b.total} channels reach |z| > ${SE_EXCITATION.magnitude} (largest ${Number.isFinite(b.top) ? b.top.toFixed(1) : '∞'})`,
          )
          .join('; ') +
        how +
        '.',
      suggestion:
        "Large excite pre-activations pin the gates at 0 or 1. Normalise the squeeze input (BN before SE), shrink the excite weights' init, or add weight decay on the SE dense layers.",
      where: bad[0].name,
    };
  },
};
