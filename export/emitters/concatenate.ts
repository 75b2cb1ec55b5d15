import { z } from 'zod';
import { onnxAxis } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { mergeInputs } from './merge.js';
import { defineEmitter } from './types.js';

/** Concatenate along the ONNX axis that holds the Keras axis (channels: 1 in NCHW). */
export const concatenate = defineEmitter('Concatenate', z.object({ axis: z.number().int().default(-1) }), (ctx, c) => {
  const inputs = mergeInputs(ctx);
  return ctx.graph.node(
    'Concat',
    ctx.name,
    inputs.map((t) => t.value),
    { axis: attr.int(onnxAxis(c.axis, inputs[0].shape.length)) },
  );
});
