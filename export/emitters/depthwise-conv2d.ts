import { z } from 'zod';
import { emitConvNode } from './conv-node.js';
import { activationName, channelsLast, padding, pair } from './config.js';
import { defineEmitter } from './types.js';

const schema = z.object({
  kernel_size: pair,
  strides: pair.default([1, 1]),
  padding: padding.default('valid'),
  data_format: channelsLast,
  dilation_rate: pair.default([1, 1]),
  depth_multiplier: z.number().int().positive().default(1),
  activation: activationName.default('linear'),
  use_bias: z.boolean().default(true),
});

/** DepthwiseConv2D → Conv with group = input channels; the layout function orders the C·M output channels as TF does. */
export const depthwiseConv2d = defineEmitter('DepthwiseConv2D', schema, (ctx, c) =>
  emitConvNode(ctx, c, 'depthwise_kernel'),
);
