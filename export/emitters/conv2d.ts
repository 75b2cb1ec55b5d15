import { z } from 'zod';
import { toOnnxLayout } from '../layout.js';
import { attr } from '../onnx/model.js';
import { padAttributes } from '../padding.js';
import { emitActivation } from './activation-fn.js';
import { activationName, channelsLast, padding, pair } from './config.js';
import { defineEmitter, only, requireRank } from './types.js';

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
export const conv2d = defineEmitter('Conv2D', schema, (ctx, c) => {
  const x = only(ctx);
  requireRank(ctx, x, [4]);
  const kernel = ctx.weight('kernel');
  const w = toOnnxLayout('conv-kernel', kernel.values, kernel.shape);
  const inputs = [x.value, ctx.graph.floats(`${ctx.name}/kernel`, w.shape, w.values)];
  if (c.use_bias) {
    const bias = ctx.weight('bias');
    inputs.push(ctx.graph.floats(`${ctx.name}/bias`, bias.shape, bias.values));
  }
  const conv = ctx.graph.node('Conv', ctx.name, inputs, {
    kernel_shape: attr.ints(c.kernel_size),
    strides: attr.ints(c.strides),
    dilations: attr.ints(c.dilation_rate),
    group: attr.int(1),
    ...padAttributes(c.padding, [x.shape[1], x.shape[2]], c.kernel_size, c.strides, c.dilation_rate),
  });
  return emitActivation(ctx.graph, `${ctx.name}/${c.activation}`, conv, c.activation, 4);
});
