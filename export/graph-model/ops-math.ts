import { NHWC_TO_NCHW, onnxAxis, permute } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { TF_ACTIVATION_OPS, emitTfActivation, fusedActivation } from './activations.js';
import { binaryOperands, floats, opError } from './context.js';
import type { OpContext, OpHandler } from './context.js';
import { attrBool, attrStrings } from './schema.js';

/** Operand i of a matmul, transposed when asked: on the host for a Const, with a Transpose node otherwise. */
function matrix(ctx: OpContext, i: number, transpose: boolean): string {
  const o = ctx.operand(i);
  if (o.kind === 'const') {
    if (o.constant.shape.length !== 2)
      throw opError(ctx, `operand ${i} has shape [${o.constant.shape.join(', ')}]; only 2-D matrices are supported`);
    const m = transpose
      ? permute(floats(o.constant), o.constant.shape, [1, 0])
      : { values: floats(o.constant), shape: o.constant.shape };
    return ctx.graph.floats(`${ctx.node.name}/${i === 0 ? 'a' : 'b'}`, m.shape, m.values);
  }
  if (o.shape.length !== 2)
    throw opError(ctx, `operand ${i} has shape [${o.shape.join(', ')}]; only 2-D matrices are supported`);
  return transpose
    ? ctx.graph.node('Transpose', `${ctx.node.name}/transpose_${i}`, [o.value], { perm: attr.ints([1, 0]) })
    : o.value;
}

/** MatMul, and _FusedMatMul (+ bias as Gemm's C, + activation as `name/<Act>`). */
const matMul: OpHandler = (ctx) => {
  const a = matrix(ctx, 0, attrBool(ctx.node, 'transpose_a', false));
  const b = matrix(ctx, 1, attrBool(ctx.node, 'transpose_b', false));
  const fused = ctx.node.op === '_FusedMatMul' ? attrStrings(ctx.node, 'fused_ops') : [];
  const activation = fusedActivation(ctx, fused);
  let out: string;
  if (fused.includes('BiasAdd')) {
    const bias = ctx.constant(2);
    out = ctx.graph.node('Gemm', ctx.node.name, [
      a,
      b,
      ctx.graph.floats(`${ctx.node.name}/bias`, bias.shape, floats(bias)),
    ]);
  } else out = ctx.graph.node('MatMul', ctx.node.name, [a, b]);
  return activation ? emitTfActivation(ctx, activation, `${ctx.node.name}/${activation}`, out, 2) : out;
};

const activation =
  (op: string): OpHandler =>
  (ctx) =>
    emitTfActivation(ctx, op, ctx.node.name, ctx.value(0), ctx.shape(0).length);

/** TF's Softmax is over the last axis: the channel axis (1) of an NCHW tensor. */
const softmax: OpHandler = (ctx) =>
  ctx.graph.node('Softmax', ctx.node.name, [ctx.value(0)], { axis: attr.int(onnxAxis(-1, ctx.shape(0).length)) });

/**
 * Mean over NHWC axes → ReduceMean over the NCHW axes holding them. Without keep_dims the surviving axes must
 * keep their relative order in both layouts (true for global pooling over H, W); otherwise the result's layout
 * would differ from TF's and an error says so.
 */
const mean: OpHandler = (ctx) => {
  const rank = ctx.shape(0).length;
  const axes = Array.from(ctx.constant(1).data, (a) => (a < 0 ? a + rank : a));
  const keep = attrBool(ctx.node, 'keep_dims', false);
  const onnxAxes = axes.map((a) => onnxAxis(a, rank)).sort();
  if (rank === 4 && !keep) {
    const tfOrder = [0, 1, 2, 3].filter((a) => !axes.includes(a));
    const onnxOrder = [0, 1, 2, 3].filter((j) => !onnxAxes.includes(j)).map((j) => NHWC_TO_NCHW[j]);
    if (tfOrder.join() !== onnxOrder.join())
      throw opError(
        ctx,
        `reducing NHWC axes [${axes.join(', ')}] without keep_dims leaves an order NCHW cannot match; only H/W (global pooling) or all-but-batch reductions are supported`,
      );
  }
  return ctx.graph.node('ReduceMean', ctx.node.name, [ctx.value(0)], {
    axes: attr.ints(onnxAxes),
    keepdims: attr.int(keep ? 1 : 0),
  });
};

const binary =
  (opType: 'Mul' | 'Add'): OpHandler =>
  (ctx) =>
    ctx.graph.node(opType, ctx.node.name, binaryOperands(ctx));

export const mathOps: Record<string, OpHandler> = {
  MatMul: matMul,
  _FusedMatMul: matMul,
  ...Object.fromEntries(TF_ACTIVATION_OPS.map((op) => [op, activation(op)])),
  Softmax: softmax,
  Mean: mean,
  Mul: binary('Mul'),
  AddV2: binary('Add'),
  Add: binary('Add'),
};
