import { z } from 'zod';
import { emitActivation } from './activation-fn.js';
import { activationName } from './config.js';
import { defineEmitter, only } from './types.js';

/** Activation layer: its function as a node carrying the layer's own name ('linear' is dropped). */
export const activation = defineEmitter('Activation', z.object({ activation: activationName }), (ctx, c) => {
  const x = only(ctx);
  return emitActivation(ctx.graph, ctx.name, x.value, c.activation, x.shape.length);
});
