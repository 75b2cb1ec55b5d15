import type { OnnxAttribute, GraphSpec, NodeSpec, TensorSpec, ValueInfoSpec } from '../../onnx/spec.js';

/**
 * Collects nodes and initializers while emitters run. Every node has one output value named like the node,
 * so a probe that knows a node name also knows the value to tap. Names are SSA: a second use is a bug upstream,
 * reported rather than silently renamed.
 */
export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  private readonly taken = new Set<string>();

  constructor(reserved: string[] = []) {
    for (const r of reserved) this.taken.add(r);
  }

  private claim(name: string, what: string): void {
    if (this.taken.has(name))
      throw new Error(
        `ONNX value name "${name}" (${what}) is already used; Keras layer and weight names must be unique`,
      );
    this.taken.add(name);
  }

  /** Adds `opType` named `name`; returns its output value name (= `name`). */
  node(opType: string, name: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}): string {
    this.claim(name, `${opType} node`);
    this.nodes.push({ name, opType, inputs, outputs: [name], attributes });
    return name;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length)
      throw new Error(`initializer ${name}: dims [${dims.join(', ')}] hold ${count} values, got ${data.length}`);
    this.claim(name, 'initializer');
    this.initializers.push({ name, type: 'float', dims, data });
    return name;
  }

  /** An int64 vector (shapes, pads, axes inputs); `dims` [] makes a scalar. */
  int64s(name: string, values: number[], dims: number[] = [values.length]): string {
    this.claim(name, 'initializer');
    this.initializers.push({ name, type: 'int64', dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  }

  /** Renames a value everywhere (the model output must be called `probabilities`, whatever layer made it). */
  rename(from: string, to: string): void {
    this.claim(to, 'renamed value');
    for (const n of this.nodes) {
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
      n.outputs = n.outputs.map((o) => (o === from ? to : o));
    }
  }

  build(name: string, inputs: ValueInfoSpec[], outputs: ValueInfoSpec[]): GraphSpec {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }
}
