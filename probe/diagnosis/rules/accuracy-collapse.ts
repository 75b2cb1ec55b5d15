import type { Rule } from '../rule.js';

/** Last test accuracy at least 0.10 below its peak and below 75% of the peak's margin over chance. */
export const ACCURACY_COLLAPSE = { absoluteDrop: 0.1, keptMargin: 0.75 } as const;

export const accuracyCollapse: Rule = {
  id: 'accuracy-collapse',
  describes: `test accuracy fell ≥ ${ACCURACY_COLLAPSE.absoluteDrop} below its peak and lost > ${(1 - ACCURACY_COLLAPSE.keptMargin) * 100}% of its margin over chance`,
  check({ history, classes }) {
    if (!history || history.epochs.length < 2) return { skipped: 'fewer than 2 mini-epochs of metrics' };
    const chance = classes ? 1 / classes : 0;
    const e = history.epochs;
    const peak = e.reduce((best, x) => (x.testAccuracy > best.testAccuracy ? x : best), e[0]);
    const last = e[e.length - 1];
    if (peak === last) return null;
    const drop = peak.testAccuracy - last.testAccuracy;
    const margin = (last.testAccuracy - chance) / Math.max(1e-9, peak.testAccuracy - chance);
    if (drop < ACCURACY_COLLAPSE.absoluteDrop || margin > ACCURACY_COLLAPSE.keptMargin) return null;
    const lrChange = e.find(
      (x) => x.miniEpoch > peak.miniEpoch && (x.lr !== peak.lr || x.batchSize !== peak.batchSize),
    );
    return {
      rule: this.id,
      severity: 'error',
      title: 'Accuracy rose, then collapsed',
      evidence: `test accuracy peaked at ${peak.testAccuracy.toFixed(3)} (mini-epoch ${peak.miniEpoch}) and is ${last.testAccuracy.toFixed(3)} at mini-epoch ${last.miniEpoch}${lrChange ? `; lr/batch changed to ${lrChange.lr}/${lrChange.batchSize} at mini-epoch ${lrChange.miniEpoch}` : ''}.`,
      suggestion:
        'Keep the peak checkpoint. Lower the learning rate after the peak (or undo the schedule change), and check the activation std and SE gate findings for the layer that degrades first.',
      where: `after mini-epoch ${peak.miniEpoch}`,
    };
  },
};
