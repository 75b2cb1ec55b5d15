import { z } from 'zod';
import { attr } from '../../onnx/spec.js';
import { defineEmitter, only } from './types.js';

/** ELU layer → Elu with the layer's alpha. */
export const elu = defineEmitter('ELU', z.object({ alpha: z.number().default(1) }), (ctx, c) =>
  ctx.graph.node('Elu', ctx.name, [only(ctx).value], { alpha: attr.float(c.alpha) }),
);
