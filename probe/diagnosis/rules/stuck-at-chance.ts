import type { Rule } from '../rule.js';

/**
 * For at least 3 consecutive mini-epochs up to the last: train loss within 5% of ln C (what a uniform guess
 * scores), or test accuracy within 0.25/C of chance 1/C (a net that always answers one class can sit at chance
 * with a large loss).
 */
export const STUCK_AT_CHANCE = { lossTolerance: 0.05, accuracyTolerance: 0.25, miniEpochs: 3 } as const;

export const stuckAtChance: Rule = {
  id: 'stuck-at-chance',
  describes: `train loss within ${STUCK_AT_CHANCE.lossTolerance * 100}% of ln C, or test accuracy within ${STUCK_AT_CHANCE.accuracyTolerance}/C of 1/C, for the last ≥ ${STUCK_AT_CHANCE.miniEpochs} mini-epochs`,
  check({ history, classes }) {
    if (!history || history.epochs.length === 0) return { skipped: 'no training metrics' };
    if (!classes || classes < 2) return { skipped: 'number of classes unknown' };
    const chance = Math.log(classes);
    const near = (e: { trainLoss: number; testAccuracy: number }): boolean =>
      Math.abs(e.trainLoss - chance) <= STUCK_AT_CHANCE.lossTolerance * chance ||
      Math.abs(e.testAccuracy - 1 / classes) <= STUCK_AT_CHANCE.accuracyTolerance / classes;
    let run = 0;
    for (let i = history.epochs.length - 1; i >= 0 && near(history.epochs[i]); i--) run++;
    if (run < STUCK_AT_CHANCE.miniEpochs) return null;
    const span = history.epochs.slice(-run);
    return {
      rule: this.id,
      severity: 'error',
      title: 'Training is stuck at chance',
      evidence: `mini-epochs ${span[0].miniEpoch}–${span[span.length - 1].miniEpoch}: train loss ${span.map((e) => e.trainLoss.toFixed(3)).join(', ')} (ln ${classes} = ${chance.toFixed(3)}), test accuracy ${span.map((e) => e.testAccuracy.toFixed(3)).join(', ')} (chance ${(1 / classes).toFixed(3)}).`,
      suggestion:
        'The net outputs the class prior. Check that labels match images, lower the learning rate (or raise it if loss never moved), and look for dead or collapsed layers below.',
      where: `mini-epoch ${span[0].miniEpoch}`,
    };
  },
};
