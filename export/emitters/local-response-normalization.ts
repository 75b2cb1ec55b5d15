import { z } from 'zod';
import { attr } from '../../onnx/spec.js';
import { defineEmitter, only, requireRank } from './types.js';

const schema = z.object({
  depth_radius: z.number().int().nonnegative().default(2),
  bias: z.number().default(2),
  alpha: z.number().default(1e-4),
  beta: z.number().default(0.75),
});

/**
 * The presets' custom LRN layer (tf.localResponseNormalization semantics): x / (bias + alpha · Σ x²)^beta over
 * channels c ± radius. ONNX LRN divides alpha by the window size, so size = 2·radius + 1 and alpha is scaled up.
 */
export const localResponseNormalization = defineEmitter('LocalResponseNormalization', schema, (ctx, c) => {
  const x = only(ctx);
  requireRank(ctx, x, [4]);
  const size = 2 * c.depth_radius + 1;
  return ctx.graph.node('LRN', ctx.name, [x.value], {
    size: attr.int(size),
    alpha: attr.float(c.alpha * size),
    beta: attr.float(c.beta),
    bias: attr.float(c.bias),
  });
});
