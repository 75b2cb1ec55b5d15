import { z } from 'zod';
import { toOnnxLayout } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { emitActivation } from './activation-fn.js';
import { activationName } from './config.js';
import { defineEmitter, only, requireRank } from './types.js';

const schema = z.object({
  units: z.number().int().positive(),
  activation: activationName.default('linear'),
  use_bias: z.boolean().default(true),
});

/**
 * Dense acts on the last Keras axis. Rank 2: Gemm (MatMul without bias). Rank 3: MatMul + Add. Rank 4: the last
 * Keras axis is the NCHW channel axis, so Dense is a 1×1 Conv and the tensor never leaves NCHW.
 */
export const dense = defineEmitter('Dense', schema, (ctx, c) => {
  const x = only(ctx);
  const rank = requireRank(ctx, x, [2, 3, 4]);
  const g = ctx.graph;
  const kernel = ctx.weight('kernel');
  const bias = c.use_bias ? ctx.weight('bias') : undefined;
  const biasName = bias ? g.floats(`${ctx.name}/bias`, bias.shape, bias.values) : undefined;
  let out: string;
  if (rank === 4) {
    const [inUnits, units] = kernel.shape;
    const w = toOnnxLayout('conv-kernel', kernel.values, [1, 1, inUnits, units]);
    const inputs = [x.value, g.floats(`${ctx.name}/kernel`, w.shape, w.values), ...(biasName ? [biasName] : [])];
    out = g.node('Conv', ctx.name, inputs, { kernel_shape: attr.ints([1, 1]) });
  } else {
    const w = g.floats(`${ctx.name}/kernel`, kernel.shape, kernel.values);
    if (rank === 2 && biasName) out = g.node('Gemm', ctx.name, [x.value, w, biasName]);
    else {
      out = g.node('MatMul', ctx.name, [x.value, w]);
      if (biasName) out = g.node('Add', `${ctx.name}/bias_add`, [out, biasName]);
    }
  }
  return emitActivation(g, `${ctx.name}/${c.activation}`, out, c.activation, rank);
});
