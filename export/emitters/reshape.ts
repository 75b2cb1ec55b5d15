import { z } from 'zod';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, onnxShape, transposeIsNoop } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { defineEmitter, only } from './types.js';

/**
 * Reshape means "reinterpret the NHWC element order", so a rank-4 input goes back to NHWC before it and a rank-4
 * output returns to NCHW after it; either transpose is skipped when it would move only size-1 axes (the SE
 * block's [N, C] → [N, 1, 1, C] needs neither). Batch stays dynamic: shape entry 0 copies the input's.
 */
export const reshape = defineEmitter('Reshape', z.object({ target_shape: z.array(z.number().int()) }), (ctx) => {
  const x = only(ctx);
  const g = ctx.graph;
  const out = ctx.outputShape;
  if (out.slice(1).some((d) => d === null))
    throw new Error(
      `layer ${ctx.name} (Reshape): output shape [${out.join(', ')}] has unknown sizes besides the batch; give the model a fixed input size`,
    );
  const dims = out.slice(1) as number[];
  let value = x.value;
  if (x.shape.length === 4 && !transposeIsNoop(onnxShape(x.shape), NCHW_TO_NHWC)) {
    value = g.node('Transpose', `${ctx.name}/to_nhwc`, [value], { perm: attr.ints(NCHW_TO_NHWC) });
  }
  const backToNchw = out.length === 4 && !transposeIsNoop(out, NHWC_TO_NCHW);
  const target = backToNchw ? [0, ...dims] : onnxShape([0, ...dims]);
  value = g.node('Reshape', ctx.name, [value, g.int64s(`${ctx.name}/shape`, target)]);
  return backToNchw ? g.node('Transpose', `${ctx.name}/to_nchw`, [value], { perm: attr.ints(NHWC_TO_NCHW) }) : value;
});
