import type { Rule } from '../rule.js';

/** Latest mini-epoch: gradient norm of the first (input-side) layer below 1% of the last layer's. */
export const VANISHING_GRADIENTS = { ratio: 0.01 } as const;

const first = (layers: Array<{ layer: string }>): string => layers[0].layer;

export const vanishingGradients: Rule = {
  id: 'vanishing-gradients',
  describes: `first layer's gradient norm < ${VANISHING_GRADIENTS.ratio} × the last layer's (training metrics, latest mini-epoch)`,
  check({ history }) {
    const last = history?.epochs[history.epochs.length - 1];
    if (!last || last.layers.length < 2) return { skipped: 'no per-layer gradient norms in the training metrics' };
    const layers = last.layers.filter((l) => Number.isFinite(l.gradNorm));
    const top = layers[layers.length - 1];
    if (!top) return null;
    if (layers.every((l) => l.gradNorm === 0)) {
      return {
        rule: this.id,
        severity: 'error',
        title: 'No gradient at all',
        evidence: `mini-epoch ${last.miniEpoch}: the gradient norm is 0 in every layer (${layers.map((l) => l.layer).join(', ')}).`,
        suggestion:
          'Nothing learns any more: every ReLU is dead or the softmax is saturated. Restart from an earlier checkpoint with a lower learning rate.',
        where: first(layers),
      };
    }
    if (top.gradNorm <= 0) return null;
    const bottom = layers[0];
    const ratio = bottom.gradNorm / top.gradNorm;
    if (ratio >= VANISHING_GRADIENTS.ratio) return null;
    const starts = layers.find((l) => l.gradNorm / top.gradNorm < VANISHING_GRADIENTS.ratio) ?? bottom;
    const below = layers.filter((l) => l.gradNorm / top.gradNorm < VANISHING_GRADIENTS.ratio).map((l) => l.layer);
    return {
      rule: this.id,
      severity: 'error',
      title: 'Vanishing gradients',
      evidence: `mini-epoch ${last.miniEpoch}: gradient norm ${bottom.layer} ${bottom.gradNorm.toExponential(2)} vs ${top.layer} ${top.gradNorm.toExponential(2)} (ratio ${ratio.toExponential(1)}); below ${VANISHING_GRADIENTS.ratio}× the last layer: ${below.join(', ')}.`,
      suggestion:
        'Early layers barely learn: use ReLU/ELU instead of sigmoid in deep stacks, add BN or residual connections, and check for saturated SE gates on the path.',
      where: starts.layer,
    };
  },
};
