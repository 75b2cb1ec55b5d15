import type { Rule } from '../rule.js';
import { latestProbe } from '../rule.js';

/** More than half of a layer's channels dead (a channel is dead when ≥ 99% of its values are exactly 0). */
export const DEAD_CHANNELS = { share: 0.5 } as const;

export const deadChannels: Rule = {
  id: 'dead-channels',
  describes: `more than ${DEAD_CHANNELS.share * 100}% of a layer's channels are zero ≥ 99% of the time`,
  check(input) {
    const p = latestProbe(input);
    if (!p) return { skipped: 'no probe result' };
    const bad = p.layers
      .map((l) => ({ name: l.name, dead: l.summary.deadChannels, total: l.channels.min.length }))
      .filter((l) => l.total > 1 && l.dead / l.total > DEAD_CHANNELS.share);
    if (bad.length === 0) return null;
    return {
      rule: this.id,
      severity: 'error',
      title: 'Dead channels',
      evidence: `${bad.map((b) => `${b.name}: ${b.dead}/${b.total} channels dead`).join('; ')}.`,
      suggestion:
        'Dying ReLUs: lower the learning rate, use He initialisation, add BN before the activation, or try ELU/leaky ReLU in those layers.',
      where: bad[0].name,
    };
  },
};
