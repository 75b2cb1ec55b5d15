import { toOnnxLayout } from '../layout.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { INPUT_NAME, OUTPUT_NAME, valueInfo } from '../layers/convert-layers.js';
import type { ConvertedGraph, LayerOutput } from '../layers/convert-layers.js';
import type { KerasShape } from '../layers/topology.js';
import { floats } from './context.js';
import type { ConstValue, OpContext, Operand } from './context.js';
import { hasOpHandler, opHandler, supportedOps } from './registry.js';
import type { GraphNode } from './schema.js';
import type { GraphSource } from './source.js';

/** Graph node inputs are `name`, `name:k` (output k) or `^name` (control edge, irrelevant to dataflow). */
function dataInputs(node: GraphNode): string[] {
  return node.input
    .filter((i) => !i.startsWith('^'))
    .map((i) => {
      const [name, index] = i.split(':');
      if (index !== undefined && index !== '0')
        throw new Error(
          `graph node ${node.name} (${node.op}): uses output ${index} of ${name}; only first outputs are supported`,
        );
      return name;
    });
}

/** Throws, listing every node whose op has no mapping, before anything is loaded or run. */
export function checkGraphOps(nodes: GraphNode[], where: string): void {
  const bad = nodes.filter((n) => !hasOpHandler(n.op));
  if (bad.length > 0)
    throw new Error(
      `${where}: ops without an ONNX mapping: ${bad.map((n) => `${n.name} (${n.op})`).join(', ')}; supported ops: ${supportedOps.join(', ')}`,
    );
}

/** Converts a TF graph (NHWC) to an NCHW ONNX graph node by node; layer outputs are the TF nodes' outputs. */
export function convertGraph(src: GraphSource): ConvertedGraph {
  checkGraphOps(src.nodes, `graph model ${src.name}`);
  const g = new GraphBuilder([INPUT_NAME]);
  const batchless = (s: number[]): KerasShape => s.map((d, i) => (i === 0 ? null : d));
  const inputShape = batchless(src.shapes.get(src.inputName) as number[]);
  const operands = new Map<string, Operand>([[src.inputName, { kind: 'value', value: INPUT_NAME, shape: inputShape }]]);
  for (const [name, constant] of src.constants) operands.set(name, { kind: 'const', name, constant });
  const written = new Map<string, string>();
  const layers: LayerOutput[] = [];
  let pending = src.nodes.filter((n) => n.op !== 'Const' && n.name !== src.inputName);
  for (const n of src.nodes)
    if (n.op === 'Const' && !src.constants.has(n.name))
      throw new Error(`graph node ${n.name} (Const): has no data in the weights manifest`);
  while (pending.length > 0) {
    const ready = pending.filter((n) => dataInputs(n).every((i) => operands.has(i)));
    if (ready.length === 0)
      throw new Error(
        `graph model ${src.name}: nodes ${pending.map((n) => n.name).join(', ')} wait for inputs no node produces`,
      );
    for (const node of ready) {
      const ins = dataInputs(node).map((i) => operands.get(i) as Operand);
      if (node.op === 'Identity' && ins[0]?.kind === 'const') {
        operands.set(node.name, ins[0]);
        continue;
      }
      const at = (i: number): Operand => {
        const o = ins[i];
        if (!o) throw new Error(`graph node ${node.name} (${node.op}): has no input ${i}`);
        return o;
      };
      const constValue = (c: ConstValue, name: string): string => {
        const cached = written.get(name);
        if (cached) return cached;
        const t = toOnnxLayout('activation', floats(c), c.shape);
        const value = g.floats(name, t.shape, t.values);
        written.set(name, value);
        return value;
      };
      const ctx: OpContext = {
        node,
        graph: g,
        outputShape: batchless(src.shapes.get(node.name) ?? []),
        operand: at,
        value: (i) => {
          const o = at(i);
          return o.kind === 'value' ? o.value : constValue(o.constant, o.name);
        },
        constant: (i) => {
          const o = at(i);
          if (o.kind !== 'const')
            throw new Error(
              `graph node ${node.name} (${node.op}): input ${i} must be a constant (weights), but it is computed at run time`,
            );
          return o.constant;
        },
        shape: (i) => {
          const o = at(i);
          return o.kind === 'value' ? o.shape : o.constant.shape;
        },
      };
      const value = opHandler(node.name, node.op)(ctx);
      operands.set(node.name, { kind: 'value', value, shape: ctx.outputShape });
      layers.push({ layer: node.name, className: node.op, node: 0, value, shape: ctx.outputShape });
    }
    pending = pending.filter((n) => !ready.includes(n));
  }
  const final = operands.get(src.outputName);
  if (final?.kind !== 'value' || final.value === INPUT_NAME)
    throw new Error(`graph model ${src.name}: output ${src.outputName} computes nothing from the input`);
  g.rename(final.value, OUTPUT_NAME);
  for (const l of layers) if (l.value === final.value) l.value = OUTPUT_NAME;
  const [, h, w, c] = inputShape as number[];
  return {
    graph: g.build(src.name, [valueInfo(INPUT_NAME, inputShape)], [valueInfo(OUTPUT_NAME, final.shape)]),
    layers,
    inputSize: [h, w, c],
  };
}
