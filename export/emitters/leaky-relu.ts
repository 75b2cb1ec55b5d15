import { z } from 'zod';
import { attr } from '../../onnx/spec.js';
import { defineEmitter, only } from './types.js';

/** LeakyReLU layer → LeakyRelu; Keras' default slope is 0.3 (ONNX's is 0.01), so it is always written. */
export const leakyRelu = defineEmitter('LeakyReLU', z.object({ alpha: z.number().default(0.3) }), (ctx, c) =>
  ctx.graph.node('LeakyRelu', ctx.name, [only(ctx).value], { alpha: attr.float(c.alpha) }),
);
