import { toOnnxLayout } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { padAttributes } from '../padding.js';
import type { OnnxAttribute } from '../../onnx/spec.js';
import { emitTfActivation, fusedActivation } from './activations.js';
import { broadcastConst, floats, opError } from './context.js';
import type { OpContext, OpHandler } from './context.js';
import { attrBool, attrFloat, attrInts, attrString, attrStrings } from './schema.js';

/** NHWC 4-vectors ([1, h, w, 1]) → [h, w]. */
function spatial(ctx: OpContext, name: string, fallback?: number[]): [number, number] {
  const v = attrInts(ctx.node, name, fallback);
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1)
    throw opError(ctx, `${name} [${v.join(', ')}] must be [1, h, w, 1] (NHWC, no batch/channel stride)`);
  return [v[1], v[2]];
}

function checkNhwc(ctx: OpContext): void {
  const format = attrString(ctx.node, 'data_format', 'NHWC');
  if (format !== 'NHWC') throw opError(ctx, `data_format ${format} is not supported; only NHWC`);
}

function padding(
  ctx: OpContext,
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
): Record<string, OnnxAttribute> {
  const mode = attrString(ctx.node, 'padding');
  const [, h, w] = ctx.shape(0);
  if (mode === 'SAME' || mode === 'VALID')
    return padAttributes(mode === 'SAME' ? 'same' : 'valid', [h, w], kernel, strides, dilations);
  if (mode === 'EXPLICIT') {
    const p = attrInts(ctx.node, 'explicit_paddings');
    return { pads: attr.ints([p[2], p[4], p[3], p[5]]) };
  }
  throw opError(ctx, `padding ${mode} is not supported; expected SAME, VALID or EXPLICIT`);
}

/** Conv2D and _FusedConv2D (bias + activation folded in by grappler) → Conv [+ `name/<Act>`]. */
const conv: OpHandler = (ctx) => {
  checkNhwc(ctx);
  const filter = ctx.constant(1);
  const w = toOnnxLayout('conv-kernel', floats(filter), filter.shape);
  const kernel: [number, number] = [filter.shape[0], filter.shape[1]];
  const strides = spatial(ctx, 'strides');
  const dilations = spatial(ctx, 'dilations', [1, 1, 1, 1]);
  const fused = ctx.node.op === '_FusedConv2D' ? attrStrings(ctx.node, 'fused_ops') : [];
  const inputs = [ctx.value(0), ctx.graph.floats(`${ctx.node.name}/filter`, w.shape, w.values)];
  if (fused.includes('BiasAdd'))
    inputs.push(ctx.graph.floats(`${ctx.node.name}/bias`, [filter.shape[3]], floats(ctx.constant(2))));
  const activation = fusedActivation(ctx, fused);
  const out = ctx.graph.node('Conv', ctx.node.name, inputs, {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    dilations: attr.ints(dilations),
    ...padding(ctx, kernel, strides, dilations),
  });
  return activation ? emitTfActivation(ctx, activation, `${ctx.node.name}/${activation}`, out, 4) : out;
};

const pool =
  (opType: 'MaxPool' | 'AveragePool'): OpHandler =>
  (ctx) => {
    checkNhwc(ctx);
    const kernel = spatial(ctx, 'ksize');
    const strides = spatial(ctx, 'strides');
    const extra: Record<string, OnnxAttribute> = opType === 'AveragePool' ? { count_include_pad: attr.int(0) } : {};
    return ctx.graph.node(opType, ctx.node.name, [ctx.value(0)], {
      kernel_shape: attr.ints(kernel),
      strides: attr.ints(strides),
      ...padding(ctx, kernel, strides, [1, 1]),
      ...extra,
    });
  };

/** FusedBatchNormV3 in inference form (is_training false, as frozen graphs have it). */
const batchNorm: OpHandler = (ctx) => {
  checkNhwc(ctx);
  if (ctx.shape(0).length !== 4) throw opError(ctx, 'only rank-4 inputs are supported');
  if (attrBool(ctx.node, 'is_training', false))
    throw opError(ctx, 'is_training is true; export a frozen inference graph (batch statistics cannot be exported)');
  const names = ['scale', 'offset', 'mean', 'variance'];
  const params = names.map((n, i) =>
    ctx.graph.floats(`${ctx.node.name}/${n}`, ctx.constant(i + 1).shape, floats(ctx.constant(i + 1))),
  );
  return ctx.graph.node('BatchNormalization', ctx.node.name, [ctx.value(0), ...params], {
    epsilon: attr.float(attrFloat(ctx.node, 'epsilon', 1e-3)),
  });
};

/** BiasAdd adds along the NHWC channel axis, which is axis 1 once the bias is shaped [1, C, 1, 1]. */
const biasAdd: OpHandler = (ctx) => {
  checkNhwc(ctx);
  const rank = ctx.shape(0).length;
  return ctx.graph.node('Add', ctx.node.name, [
    ctx.value(0),
    broadcastConst(ctx, ctx.node.name, ctx.constant(1), rank),
  ]);
};

export const convOps: Record<string, OpHandler> = {
  Conv2D: conv,
  _FusedConv2D: conv,
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  FusedBatchNormV3: batchNorm,
  BiasAdd: biasAdd,
};
