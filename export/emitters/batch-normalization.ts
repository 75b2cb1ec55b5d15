import { z } from 'zod';
import { attr } from '../../onnx/spec.js';
import { defineEmitter, only, requireRank } from './types.js';

const schema = z.object({
  axis: z.union([z.number().int(), z.tuple([z.number().int()]).transform((a) => a[0])]).default(-1),
  epsilon: z.number().positive().default(1e-3),
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
});

/**
 * BatchNormalization in inference form: (x − moving_mean) / sqrt(moving_variance + epsilon) · gamma + beta, with the
 * layer's own epsilon (Keras' 1e-3, not ONNX's 1e-5 default). The Keras channel axis is ONNX axis 1 for ranks 2 and 4.
 */
export const batchNormalization = defineEmitter('BatchNormalization', schema, (ctx, c) => {
  const x = only(ctx);
  const rank = requireRank(ctx, x, [2, 4]);
  const axis = c.axis < 0 ? c.axis + rank : c.axis;
  if (axis !== rank - 1)
    throw new Error(
      `layer ${ctx.name} (BatchNormalization): axis ${c.axis} is not the channel axis; only axis -1 (channels_last) is supported`,
    );
  const mean = ctx.weight('moving_mean');
  const variance = ctx.weight('moving_variance');
  const channels = mean.values.length;
  const gamma = c.scale ? ctx.weight('gamma').values : new Float32Array(channels).fill(1);
  const beta = c.center ? ctx.weight('beta').values : new Float32Array(channels);
  const g = ctx.graph;
  const inputs = [
    x.value,
    g.floats(`${ctx.name}/gamma`, [channels], gamma),
    g.floats(`${ctx.name}/beta`, [channels], beta),
    g.floats(`${ctx.name}/moving_mean`, [channels], mean.values),
    g.floats(`${ctx.name}/moving_variance`, [channels], variance.values),
  ];
  return g.node('BatchNormalization', ctx.name, inputs, { epsilon: attr.float(c.epsilon) });
});
