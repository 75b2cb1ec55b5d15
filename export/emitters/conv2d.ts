import { z } from 'zod';
import { emitConvNode } from './conv-node.js';
import { activationName, channelsLast, padding, pair } from './config.js';
import { defineEmitter } from './types.js';

const schema = z.object({
  filters: z.number().int().positive(),
  kernel_size: pair,
  strides: pair.default([1, 1]),
  padding: padding.default('valid'),
  data_format: channelsLast,
  dilation_rate: pair.default([1, 1]),
  activation: activationName.default('linear'),
  use_bias: z.boolean().default(true),
});

/** Conv2D → Conv (OIHW kernel, TF 'same' pads) [+ `name/<activation>`]. Kernels may be non-square. */
export const conv2d = defineEmitter('Conv2D', schema, (ctx, c) => emitConvNode(ctx, c, 'kernel'));
