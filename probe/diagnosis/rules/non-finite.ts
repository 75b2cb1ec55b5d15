import type { Rule } from '../rule.js';
import { latestProbe } from '../rule.js';

/** Any `non-finite` event in the training metrics, or any probed channel whose statistics are NaN/Inf. */
export const nonFinite: Rule = {
  id: 'non-finite',
  describes: 'NaN/Inf in training (metrics event) or in probed activations',
  check(input) {
    const events = input.history?.nonFinite ?? [];
    const p = latestProbe(input);
    const layers = p?.layers.filter((l) => l.summary.nonFiniteChannels > 0) ?? [];
    if (!input.history && !p) return { skipped: 'no training metrics and no probe result' };
    if (events.length === 0 && layers.length === 0) return null;
    const e = events[0];
    const parts = [
      ...(e
        ? [
            `training hit NaN/Inf in ${e.where ?? 'a step'}${e.variable ? ` (${e.variable})` : ''} at mini-epoch ${e.miniEpoch}${e.step !== undefined ? `, step ${e.step}` : ''}`,
          ]
        : []),
      ...(layers.length
        ? [
            `activations are NaN/Inf in ${layers.map((l) => `${l.name} (${l.summary.nonFiniteChannels} channels)`).join(', ')}`,
          ]
        : []),
    ];
    return {
      rule: this.id,
      severity: 'error',
      title: 'NaN/Inf',
      evidence: `${parts.join('; ')}.`,
      suggestion:
        'Lower the learning rate, clip gradients, check the input scaling (0–255 fed where [0, 1] is expected), and resume from the last good checkpoint.',
      where: e?.variable ?? layers[0]?.name,
    };
  },
};
