/**
 * Adds nodes, initializers and graph outputs to an ONNX model at the byte level. The graph field (ModelProto
 * field 7) is rebuilt from its own fields: every original field is copied byte for byte (weights, unknown
 * fields, metadata untouched), new nodes go right after the node producing the tensor they read (so
 * onnxruntime runs a reduction while its input is still in cache), and new initializers and outputs go at
 * the end. The graph's length prefix is re-encoded.
 */
import { concat, encodeNode, encodeTensor, encodeValueInfo, fieldBytes, type NewNode, type NewTensor } from './encode.js';
import { readFields, text } from './wire.js';

export interface GraphAdditions {
  /** Appended after all original nodes. */
  nodes?: NewNode[];
  /** Inserted right after the original node that outputs the key tensor (or first, for a graph input). */
  nodesAfter?: Map<string, NewNode[]>;
  initializers?: NewTensor[];
  /** Graph outputs; without `elemType` onnxruntime infers the type. */
  outputs?: Array<{ name: string; elemType?: number; shape?: Array<number | string> }>;
}

export function appendToGraph(model: Uint8Array, add: GraphAdditions): Uint8Array {
  const fields = readFields(model, 'ModelProto');
  const graphs = fields.filter((f) => f.num === 7);
  if (graphs.length !== 1 || !graphs[0].bytes) {
    throw new Error(`Expected exactly one graph in the ONNX model, found ${graphs.length}; the file is not a plain ONNX model.`);
  }
  const g = graphs[0];
  const gb = g.bytes!;
  const after = new Map(add.nodesAfter ?? []);
  const encoded = (nodes: NewNode[]): Uint8Array[] => nodes.map((n) => fieldBytes(1, encodeNode(n)));
  const parts: Uint8Array[] = [];
  const graphFields = readFields(gb, 'graph');
  // Nodes reading a graph input can run first: put them before the first original node.
  const firstNode = graphFields.findIndex((f) => f.num === 1);
  graphFields.forEach((f, i) => {
    if (i === firstNode) {
      for (const [tensor, nodes] of after) {
        if (!producedByAnyNode(graphFields, tensor)) {
          parts.push(...encoded(nodes));
          after.delete(tensor);
        }
      }
    }
    parts.push(gb.subarray(f.start, f.end));
    if (f.num !== 1 || after.size === 0) return;
    // NodeProto output = field 2.
    for (const o of readFields(f.bytes!, 'node').filter((x) => x.num === 2)) {
      const nodes = after.get(text(o.bytes));
      if (nodes) {
        parts.push(...encoded(nodes));
        after.delete(text(o.bytes));
      }
    }
  });
  if (after.size > 0) throw new Error(`No node produces ${[...after.keys()].join(', ')}; cannot attach probe nodes to it.`);
  parts.push(
    ...encoded(add.nodes ?? []),
    ...(add.initializers ?? []).map((t) => fieldBytes(5, encodeTensor(t))),
    ...(add.outputs ?? []).map((o) => fieldBytes(12, encodeValueInfo(o.name, o.elemType, o.shape))),
  );
  const graph = fieldBytes(7, concat(parts));
  return concat([model.subarray(0, g.start), graph, model.subarray(g.end)]);
}

function producedByAnyNode(graphFields: ReturnType<typeof readFields>, tensor: string): boolean {
  return graphFields.some((f) => f.num === 1 && readFields(f.bytes!, 'node').some((x) => x.num === 2 && text(x.bytes) === tensor));
}
