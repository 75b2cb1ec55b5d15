/**
 * Chooses tap points. A selected node starts a chain; followers (BN, activations, bias Add/Mul with a
 * constant operand) that are the sole consumer are walked, and the tap goes at the chain's end, so
 * Conv+BN+ReLU stays one fused kernel in onnxruntime and the tap sees the activation a user means.
 */
import type { OnnxNode } from '../../onnx/model.js';
import { activationInputs, indexGraph, soleConsumer, type GraphIndex } from './graph-index.js';
import { counterNames, tapName, uniqueNames } from './names.js';
import { DEFAULT_TAP_OPS, FOLLOWER_OPS, PASS_THROUGH_OPS, roleOfOp, SIGMOID_OPS, type Role } from './ops.js';
import type { OnnxModel } from '../../onnx/model.js';

export interface TapSelection {
  /** Op types to tap; default DEFAULT_TAP_OPS (all but reshaping ops when only `names` is given). */
  ops?: readonly string[];
  /** Keep only nodes whose raw name or human name matches. */
  names?: RegExp;
  /** Tap exactly the selected nodes, without walking to the end of their block (breaks fusion: slower). */
  exact?: boolean;
}

export interface TapPoint {
  /** Human name (`conv2`, `se1_excite`). */
  name: string;
  /** Raw ONNX node name of the tapped node and of the chain head. */
  node: string;
  head: string;
  /** Op type of the tapped node (what produced the tensor). */
  op: string;
  headOp: string;
  role: Role;
  /** Tensor tapped (first output of the tapped node). */
  tensor: string;
  /** Sigmoid-like output: saturation fractions are computed. */
  sigmoid: boolean;
  /** Position of the tapped node in the graph (for relative depth). */
  index: number;
}

export function selectTaps(model: OnnxModel, sel: TapSelection = {}): TapPoint[] {
  const g = indexGraph(model);
  const counters = counterNames(model.nodes);
  // By name alone: any op except reshaping plumbing, which only repeats its input's values.
  const ops = new Set(
    sel.ops ??
      (sel.names ? model.nodes.map((n) => n.opType).filter((op) => !PASS_THROUGH_OPS.has(op)) : DEFAULT_TAP_OPS),
  );
  const covered = new Set<number>();
  const raw: Array<Omit<TapPoint, 'name'> & { name: string }> = [];
  model.nodes.forEach((head, i) => {
    if (covered.has(i) || !ops.has(head.opType) || head.outputs.length === 0) return;
    if (g.constants.has(head.outputs[0]) || activationInputs(g, head).length === 0) return;
    let t = i;
    if (!sel.exact) {
      for (let q = follower(g, t); q !== null; q = follower(g, t)) {
        covered.add(q);
        t = q;
      }
    }
    const tapped = model.nodes[t];
    const name = tapName(tapped, counters[t], head, counters[i]);
    if (sel.names && !sel.names.test(name) && !sel.names.test(tapped.name) && !sel.names.test(head.name)) return;
    const sigmoid = SIGMOID_OPS.has(tapped.opType);
    raw.push({
      name,
      node: tapped.name,
      head: head.name,
      op: tapped.opType,
      headOp: head.opType,
      role:
        sigmoid && gatesAMul(g, t)
          ? 'se-gate'
          : roleOfOp(head.opType === 'BatchNormalization' ? tapped.opType : head.opType),
      tensor: tapped.outputs[0],
      sigmoid,
      index: t,
    });
  });
  // Dense layers inside an SE block (squeeze/excite) are not classifier layers: keep them out of fc matching.
  for (const r of raw) if (r.role === 'fc' && reachesGate(g, r.index)) r.role = 'se-fc';
  const all = sel.exact ? raw : withExcitationLogits(g, raw);
  const names = uniqueNames(all.map((r) => r.name));
  return all.map((r, k) => ({ ...r, name: names[k] }));
}

/**
 * Adds, before each SE gate, a tap on the sigmoid's input: the excitation pre-activations z themselves.
 * Recovering z from the gate's output as ln(s / (1 − s)) fails exactly where it matters: a saturated gate is
 * 1 in float32 and gives z = ∞. Only the tiny excite tensor ([N, C]) loses its fusion with the sigmoid.
 */
function withExcitationLogits(g: GraphIndex, raw: TapPoint[]): TapPoint[] {
  const tapped = new Set(raw.map((r) => r.tensor));
  return raw.flatMap((r): TapPoint[] => {
    if (r.role !== 'se-gate') return [r];
    const z = g.model.nodes[r.index].inputs[0];
    const at = z === undefined ? undefined : g.producer.get(z);
    if (z === undefined || at === undefined || tapped.has(z)) return [r];
    const node = g.model.nodes[at];
    return [
      {
        name: `${r.name}_logits`,
        node: node.name,
        head: r.head,
        op: node.opType,
        headOp: r.headOp,
        role: 'se-excite',
        tensor: z,
        sigmoid: false,
        index: at,
      },
      r,
    ];
  });
}

/** The node continuing node `i`'s block, or null. */
function follower(g: GraphIndex, i: number): number | null {
  const out = g.model.nodes[i].outputs[0];
  const q = soleConsumer(g, out);
  if (q === null) return null;
  const n: OnnxNode = g.model.nodes[q];
  const acts = activationInputs(g, n);
  if (acts.length !== 1 || acts[0] !== out) return null;
  if (FOLLOWER_OPS.has(n.opType)) return q;
  // Bias or scale with a constant operand (MatMul + Add is a Dense layer in many exporters).
  if ((n.opType === 'Add' || n.opType === 'Mul') && n.inputs.length === 2) return q;
  return null;
}

/** Whether node i's output reaches, within a few nodes, a sigmoid that gates a Mul. */
function reachesGate(g: GraphIndex, i: number): boolean {
  let frontier = [i];
  for (let depth = 0; depth < 5 && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const f of frontier) {
      const n = g.model.nodes[f];
      if (f !== i && SIGMOID_OPS.has(n.opType)) {
        if (gatesAMul(g, f)) return true;
        continue;
      }
      for (const c of g.consumers.get(n.outputs[0]) ?? []) if (g.model.nodes[c].opType !== 'Mul') next.push(c);
    }
    frontier = next;
  }
  return false;
}

/** A sigmoid whose output reaches a Mul through reshapes: an SE gate (or any attention-style gate). */
function gatesAMul(g: GraphIndex, i: number): boolean {
  let frontier = [i];
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const f of frontier) {
      for (const c of g.consumers.get(g.model.nodes[f].outputs[0]) ?? []) {
        const op = g.model.nodes[c].opType;
        if (op === 'Mul') return true;
        if (PASS_THROUGH_OPS.has(op)) next.push(c);
      }
    }
    frontier = next;
  }
  return false;
}
