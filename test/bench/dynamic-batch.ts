/**
 * A copy of an ONNX model whose graph inputs and outputs declare their first dimension as the symbolic "N"
 * instead of a fixed number. SqueezeNet 1.1 as shipped declares `data` as [1, 3, 224, 224]; its graph is
 * convolutions, pools, a Flatten(axis 1) and a Softmax(axis 1), so it runs at any batch once the declaration
 * allows it (onnxruntime checks inputs against the declared shape). The bench times plain inference and the
 * probe at batch 16 on this copy, so both sides run the same batch.
 * Only for graphs whose nodes carry no batch-sized constant (a Reshape to [1, -1] would still break): the
 * bench checks the result by running it.
 */
import { concat, encodeValueInfo, fieldBytes } from '../../onnx/encode.js';
import { decodeModel } from '../../onnx/model.js';
import { readFields } from '../../onnx/wire.js';

export function withDynamicBatch(bytes: Uint8Array, source = 'model'): Uint8Array {
  const model = decodeModel(bytes, source);
  const infos = new Map([...model.inputs, ...model.outputs].map((v) => [v.name, v]));
  const top = readFields(bytes, 'ModelProto');
  const graph = top.find((f) => f.num === 7);
  if (!graph?.bytes) throw new Error(`${source} has no graph; is it an ONNX model file?`);
  const parts = readFields(graph.bytes, 'graph').map((f) => {
    // GraphProto input = 11, output = 12; ValueInfoProto name = 1.
    if (f.num !== 11 && f.num !== 12) return graph.bytes!.subarray(f.start, f.end);
    const name = new TextDecoder().decode(readFields(f.bytes!, 'value_info').find((x) => x.num === 1)?.bytes);
    const info = infos.get(name);
    if (!info?.shape || info.shape.length === 0) return graph.bytes!.subarray(f.start, f.end);
    return fieldBytes(f.num, encodeValueInfo(name, info.elemType, ['N', ...info.shape.slice(1).map((d) => d ?? '?')]));
  });
  return concat([bytes.subarray(0, graph.start), fieldBytes(7, concat(parts)), bytes.subarray(graph.end)]);
}
