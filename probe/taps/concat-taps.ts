/**
 * Channel Concats whose statistics need no pass of their own. The per-channel reductions of
 * Concat(a, b, axis = channels) are a's reductions followed by b's, so when every input of a tapped Concat is
 * itself tapped (SqueezeNet's fire modules: expand1×1 and expand3×3 ReLUs, then their Concat) the runner
 * assembles the Concat's rows from its inputs' outputs (stats/packed.ts) and the graph gets no reductions
 * for it. On pretrained SqueezeNet 1.1 that is 8 of 37 taps and the largest maps of the net.
 * Conditions: 4-D maps with H·W > 1 on both sides, same spatial size, the same reduction fields (same
 * sign knowledge and no sigmoid), and inputs that are in-graph taps themselves (no Concat of Concats).
 */
import type { GraphIndex } from './graph-index.js';
import { activationInputs } from './graph-index.js';
import type { TapPoint } from './select.js';
import { isRawTap, type TapPlan } from './tap-graph.js';

/** Kept-tap index of each assembled Concat → kept-tap indices of its inputs, in Concat order. */
export function concatParts(g: GraphIndex, taps: TapPoint[], plans: TapPlan[]): Map<number, number[]> {
  const byTensor = new Map(taps.map((t, i) => [t.tensor, i]));
  const parts = new Map<number, number[]>();
  taps.forEach((t, i) => {
    if (i === 0 || t.op !== 'Concat') return;
    const node = g.model.nodes[t.index];
    const plan = plans[i];
    const axis = node.attributes.axis;
    if (plan.shape.length !== 4 || isRawTap(plan.shape) || (axis !== 1 && axis !== -3)) return;
    const from = activationInputs(g, node).map((x) => byTensor.get(x));
    if (from.length !== node.inputs.length || from.some((j) => j === undefined || j === 0)) return;
    const fits = (j: number): boolean => {
      const p = plans[j];
      return (
        p.shape.length === 4 &&
        !isRawTap(p.shape) &&
        p.shape[2] === plan.shape[2] &&
        p.shape[3] === plan.shape[3] &&
        p.nonNegative === plan.nonNegative &&
        p.sigmoid === plan.sigmoid &&
        !plan.sigmoid &&
        !parts.has(j)
      );
    };
    if ((from as number[]).every(fits)) parts.set(i, from as number[]);
  });
  return parts;
}
