import { z } from 'zod';
import { toOnnxLayout } from '../layout.js';
import { attr } from '../onnx/model.js';
import { padAttributes } from '../padding.js';
import { emitActivation } from './activation-fn.js';
import { activationName, channelsLast, padding, pair } from './config.js';
import { defineEmitter, only, requireRank } from './types.js';

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
export const depthwiseConv2d = defineEmitter('DepthwiseConv2D', schema, (ctx, c) => {
  const x = only(ctx);
  requireRank(ctx, x, [4]);
  const kernel = ctx.weight('depthwise_kernel');
  const channels = kernel.shape[2];
  const w = toOnnxLayout('depthwise-kernel', kernel.values, kernel.shape);
  const inputs = [x.value, ctx.graph.floats(`${ctx.name}/depthwise_kernel`, w.shape, w.values)];
  if (c.use_bias) {
    const bias = ctx.weight('bias');
    inputs.push(ctx.graph.floats(`${ctx.name}/bias`, bias.shape, bias.values));
  }
  const conv = ctx.graph.node('Conv', ctx.name, inputs, {
    kernel_shape: attr.ints(c.kernel_size),
    strides: attr.ints(c.strides),
    dilations: attr.ints(c.dilation_rate),
    group: attr.int(channels),
    ...padAttributes(c.padding, [x.shape[1], x.shape[2]], c.kernel_size, c.strides, c.dilation_rate),
  });
  return emitActivation(ctx.graph, `${ctx.name}/${c.activation}`, conv, c.activation, 4);
});
