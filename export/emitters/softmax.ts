import { z } from 'zod';
import { onnxAxis } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { defineEmitter, only } from './types.js';

const schema = z.object({
  axis: z.union([z.number().int(), z.tuple([z.number().int()]).transform((a) => a[0])]).default(-1),
});

/** Softmax layer → Softmax on the ONNX axis holding the same data as the Keras axis (channels → 1 in NCHW). */
export const softmax = defineEmitter('Softmax', schema, (ctx, c) => {
  const x = only(ctx);
  return ctx.graph.node('Softmax', ctx.name, [x.value], { axis: attr.int(onnxAxis(c.axis, x.shape.length)) });
});
