import type { EmitContext, KTensor } from './types.js';

/** Inputs of a merge layer, checked to share one rank (NCHW broadcasting then matches Keras'). */
export function mergeInputs(ctx: EmitContext): KTensor[] {
  if (ctx.inputs.length < 2)
    throw new Error(`layer ${ctx.name} (${ctx.className}): needs at least 2 inputs, got ${ctx.inputs.length}`);
  const rank = ctx.inputs[0].shape.length;
  const odd = ctx.inputs.find((t) => t.shape.length !== rank);
  if (odd)
    throw new Error(
      `layer ${ctx.name} (${ctx.className}): inputs of different ranks ([${ctx.inputs[0].shape.join(', ')}] and [${odd.shape.join(', ')}]) are not supported`,
    );
  return ctx.inputs;
}

/** A binary op folded over n inputs; the last node carries the layer name, earlier ones `name/<i>`. */
export function foldBinary(ctx: EmitContext, opType: string, values: string[]): string {
  let acc = values[0];
  for (let i = 1; i < values.length; i++) {
    acc = ctx.graph.node(opType, i === values.length - 1 ? ctx.name : `${ctx.name}/${i}`, [acc, values[i]]);
  }
  return acc;
}
