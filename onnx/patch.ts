/**
 * Adds nodes, initializers and graph outputs to an ONNX model at the byte level. The graph field (ModelProto
 * field 7) is rebuilt from its own fields: every original field is copied byte for byte (weights, fields the
 * schema does not know, metadata untouched), new nodes go right after the node producing the tensor they read
 * (so onnxruntime runs a reduction while its input is still in cache), and new initializers and outputs go at
 * the end. The new messages are encoded by protobufjs (encode.ts); only the framing is done here, and the
 * result is assembled with one copy of the original bytes.
 *
 * Why not decode and re-encode with protobufjs: it drops fields its schema lacks (newer IR versions add some),
 * and it is no faster. Tapping a 244 MB AlexNet-sized model (medians of 5, one process, 2 vCPUs under heavy load):
 * this splice 481–525 ms, protobufjs decode + add + re-encode 512–626 ms, a plain copy of the file 604 ms — both
 * cost about one copy. (The splice this replaced copied the file three times: 736 ms on a quiet machine, where
 * protobufjs's round trip took 122 ms.)
 */
import { encodeNode, encodeTensor, encodeValueInfo } from './encode.js';
import type { NewNode, NewTensor } from './spec.js';
import { concat, fieldBytes, framing, readFields, text, type Field } from './wire.js';

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
    throw new Error(
      `Expected exactly one graph in the ONNX model, found ${graphs.length}; the file is not a plain ONNX model.`,
    );
  }
  const g = graphs[0];
  const gb = g.bytes!;
  const after = new Map(add.nodesAfter ?? []);
  const encoded = (nodes: NewNode[]): Uint8Array[] => nodes.map((n) => fieldBytes(1, encodeNode(n)));
  const parts: Uint8Array[] = [];
  const graphFields = readFields(gb, 'graph');
  const outputsOf = (f: Field): string[] =>
    readFields(f.bytes!, 'node')
      .filter((x) => x.num === 2)
      .map((x) => text(x.bytes));
  const produced = new Set(graphFields.filter((f) => f.num === 1).flatMap(outputsOf));
  // Nodes reading a graph input can run first: put them before the first original node.
  const firstNode = graphFields.findIndex((f) => f.num === 1);
  graphFields.forEach((f, i) => {
    if (i === firstNode) {
      for (const [tensor, nodes] of after) {
        if (!produced.has(tensor)) {
          parts.push(...encoded(nodes));
          after.delete(tensor);
        }
      }
    }
    parts.push(gb.subarray(f.start, f.end));
    if (f.num !== 1 || after.size === 0) return;
    for (const o of outputsOf(f)) {
      const nodes = after.get(o);
      if (nodes) {
        parts.push(...encoded(nodes));
        after.delete(o);
      }
    }
  });
  if (after.size > 0)
    throw new Error(`No node produces ${[...after.keys()].join(', ')}; cannot attach probe nodes to it.`);
  parts.push(
    ...encoded(add.nodes ?? []),
    ...(add.initializers ?? []).map((t) => fieldBytes(5, encodeTensor(t))),
    ...(add.outputs ?? []).map((o) => fieldBytes(12, encodeValueInfo(o.name, o.elemType, o.shape))),
  );
  return concat([model.subarray(0, g.start), framing(7, parts), ...parts, model.subarray(g.end)]);
}
