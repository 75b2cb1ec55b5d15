import { emitActivation } from '../emitters/activation-fn.js';
import type { ActivationName } from '../emitters/config.js';
import { attr } from '../../onnx/spec.js';
import type { OpContext } from './context.js';
import { opError } from './context.js';
import { attrFloat } from './schema.js';

/** TF activation op names (standalone or in a fused op's fused_ops list) → the shared activation emitter. */
const TF_ACTIVATIONS: Record<string, ActivationName> = {
  Relu: 'relu',
  Relu6: 'relu6',
  Elu: 'elu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
};

export const TF_ACTIVATION_OPS = [...Object.keys(TF_ACTIVATIONS), 'LeakyRelu'];

export function emitTfActivation(ctx: OpContext, op: string, nodeName: string, input: string, rank: number): string {
  if (op === 'LeakyRelu')
    return ctx.graph.node('LeakyRelu', nodeName, [input], {
      alpha: attr.float(attrFloat(ctx.node, 'leakyrelu_alpha', 0.2)),
    });
  const name = TF_ACTIVATIONS[op];
  if (!name) throw opError(ctx, `fused activation ${op} is not supported; supported: ${TF_ACTIVATION_OPS.join(', ')}`);
  return emitActivation(ctx.graph, nodeName, input, name, rank);
}

/** A fused op's tail: fused_ops = [BiasAdd?, activation?]; the bias is handled by the caller. */
export function fusedActivation(ctx: OpContext, fusedOps: string[]): string | null {
  const rest = fusedOps.filter((o) => o !== 'BiasAdd');
  if (rest.length > 1 || (rest.length === 1 && !TF_ACTIVATION_OPS.includes(rest[0]))) {
    throw opError(
      ctx,
      `fused_ops [${fusedOps.join(', ')}] are not supported; expected BiasAdd and/or one of ${TF_ACTIVATION_OPS.join(', ')}`,
    );
  }
  return rest[0] ?? null;
}
