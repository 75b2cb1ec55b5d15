import { z } from 'zod';
import { emitClip } from './activation-fn.js';
import { defineEmitter, only } from './types.js';

const schema = z.object({
  max_value: z.number().positive().nullable().default(null),
  // Python Keras' extra knobs; only their defaults map to Relu/Clip.
  negative_slope: z.literal(0, { message: 'only negative_slope 0 is supported (use LeakyReLU)' }).optional(),
  threshold: z.literal(0, { message: 'only threshold 0 is supported' }).optional(),
});

/** ReLU layer → Relu, or Clip(0, max_value) when capped (ReLU6). */
export const relu = defineEmitter('ReLU', schema, (ctx, c) => {
  const x = only(ctx);
  if (c.max_value === null) return ctx.graph.node('Relu', ctx.name, [x.value]);
  return emitClip(ctx.graph, ctx.name, x.value, 0, c.max_value);
});
