import type { OnnxModel, OnnxNode } from '../../onnx/model.js';

/** Who produces and who consumes each tensor, computed once per model. */
export interface GraphIndex {
  model: OnnxModel;
  producer: Map<string, number>;
  consumers: Map<string, number[]>;
  /** Tensors that are weights (initializers or Constant outputs), never activations. */
  constants: Set<string>;
}

export function indexGraph(model: OnnxModel): GraphIndex {
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  const constants = new Set<string>(model.initializers.keys());
  model.nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i);
    if (n.opType === 'Constant') n.outputs.forEach((o) => constants.add(o));
    for (const t of n.inputs) {
      if (!t) continue;
      const list = consumers.get(t) ?? [];
      list.push(i);
      consumers.set(t, list);
    }
  });
  return { model, producer, consumers, constants };
}

/** The node's inputs that carry activations (not weights, not empty optional inputs). */
export function activationInputs(g: GraphIndex, n: OnnxNode): string[] {
  return n.inputs.filter((t) => t && !g.constants.has(t));
}

/** The one node consuming `tensor` when there is exactly one and the tensor is not a graph output. */
export function soleConsumer(g: GraphIndex, tensor: string): number | null {
  const c = g.consumers.get(tensor) ?? [];
  if (c.length !== 1 || g.model.outputs.some((o) => o.name === tensor)) return null;
  return c[0];
}
