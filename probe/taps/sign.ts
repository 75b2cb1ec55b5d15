/**
 * Static sign analysis: a tensor is known non-negative when it comes out of a ReLU-like op, or out of a
 * pool, reshape, concat, Add or Mul whose activation inputs are all non-negative. The probe then needs no
 * "negative values" counter for it (one pass fewer per tap).
 */
import { activationInputs, type GraphIndex } from './graph-index.js';

const NONNEG_OPS = new Set(['Relu', 'Sigmoid', 'HardSigmoid', 'Softmax', 'Softplus', 'Abs', 'Exp']);
const PRESERVING_OPS = new Set([
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'ReduceMean',
  'ReduceMax',
  'Reshape',
  'Flatten',
  'Identity',
  'Concat',
  'Add',
  'Mul',
  'Squeeze',
  'Unsqueeze',
]);

export function isNonNegative(g: GraphIndex, tensor: string, memo = new Map<string, boolean>()): boolean {
  const known = memo.get(tensor);
  if (known !== undefined) return known;
  memo.set(tensor, false);
  const p = g.producer.get(tensor);
  let result = false;
  if (p !== undefined) {
    const node = g.model.nodes[p];
    if (NONNEG_OPS.has(node.opType)) result = true;
    else if (PRESERVING_OPS.has(node.opType)) {
      const acts = activationInputs(g, node);
      // A constant operand (bias, scale) has an unknown sign; only shape inputs of Reshape etc. are harmless.
      const constOperands = node.inputs.filter((t) => t && g.constants.has(t));
      const shapeOnly =
        ['Reshape', 'Squeeze', 'Unsqueeze', 'ReduceMean', 'ReduceMax'].includes(node.opType) ||
        constOperands.length === 0;
      result = acts.length > 0 && shapeOnly && acts.every((t) => isNonNegative(g, t, memo));
    }
  }
  memo.set(tensor, result);
  return result;
}
