import { NCHW_TO_NHWC, NHWC_TO_NCHW, onnxShape, transposeIsNoop } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { opError } from './context.js';
import type { OpHandler } from './context.js';

/**
 * Reshape reinterprets NHWC element order: the same rule as the Keras Reshape emitter (transpose to NHWC before,
 * back to NCHW after, each skipped when only size-1 axes move). The target comes from the shape tfjs computed,
 * with 0 in the batch slot so the batch stays dynamic.
 */
const reshape: OpHandler = (ctx) => {
  const out = ctx.outputShape;
  if (out.slice(1).some((d) => d === null))
    throw opError(ctx, `output shape [${out.join(', ')}] has unknown sizes besides the batch`);
  const g = ctx.graph;
  const name = ctx.node.name;
  const inShape = ctx.shape(0);
  let value = ctx.value(0);
  if (inShape.length === 4 && !transposeIsNoop(onnxShape(inShape), NCHW_TO_NHWC))
    value = g.node('Transpose', `${name}/to_nhwc`, [value], { perm: attr.ints(NCHW_TO_NHWC) });
  const back = out.length === 4 && !transposeIsNoop(out, NHWC_TO_NCHW);
  const dims = [0, ...(out.slice(1) as number[])];
  value = g.node('Reshape', name, [value, g.int64s(`${name}/shape`, back ? dims : onnxShape(dims))]);
  return back ? g.node('Transpose', `${name}/to_nchw`, [value], { perm: attr.ints(NHWC_TO_NCHW) }) : value;
};

/** Identity forwards its input's value; no node is written. */
const identity: OpHandler = (ctx) => ctx.value(0);

export const shapeOps: Record<string, OpHandler> = { Reshape: reshape, Identity: identity };
