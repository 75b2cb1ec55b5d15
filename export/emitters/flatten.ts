import { z } from 'zod';
import { NCHW_TO_NHWC, onnxShape, transposeIsNoop } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { channelsLast } from './config.js';
import { defineEmitter, only } from './types.js';

/**
 * Flatten must produce Keras' NHWC element order, or the next Dense multiplies the wrong pixels by each weight
 * row: an NCHW tensor is transposed back to NHWC (`name/to_nhwc`) first, unless only size-1 axes would move.
 */
export const flatten = defineEmitter('Flatten', z.object({ data_format: channelsLast }), (ctx) => {
  const x = only(ctx);
  let value = x.value;
  if (x.shape.length === 4 && !transposeIsNoop(onnxShape(x.shape), NCHW_TO_NHWC)) {
    value = ctx.graph.node('Transpose', `${ctx.name}/to_nhwc`, [value], { perm: attr.ints(NCHW_TO_NHWC) });
  }
  return ctx.graph.node('Flatten', ctx.name, [value], { axis: attr.int(1) });
});
