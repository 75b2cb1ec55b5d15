/**
 * Protobuf encoding of the ONNX messages actprobe writes, through protobufjs (schema.ts): a whole exported
 * model (`encodeModel`) and the single NodeProto / TensorProto / ValueInfoProto messages the probe splices
 * into an existing model (`encodeNode`, `encodeTensor`, `encodeValueInfo`; patch.ts frames them).
 */
import { AttributeType, DataType, proto } from './schema.js';
import {
  ELEM_CODE,
  type ModelSpec,
  type NewNode,
  type NewTensor,
  type OnnxAttribute,
  type TensorSpec,
  type ValueInfoSpec,
} from './spec.js';

export { DataType } from './schema.js';
export type { NewNode, NewTensor } from './spec.js';
export type AttributeValue = OnnxAttribute;
// Raw field writers, for tests that build odd messages by hand and for patch.ts's framing.
export { concat, fieldBytes, fieldString, fieldVarint, varint } from './wire.js';

type Message = Record<string, unknown>;

function attributeMessage(name: string, a: OnnxAttribute): Message {
  switch (a.kind) {
    case 'int':
      return { name, type: AttributeType.INT, i: a.value };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: a.value };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: a.value };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: a.value };
  }
}

function nodeMessage(n: NewNode): Message {
  const attribute = Object.entries(n.attributes ?? {}).map(([k, a]) => attributeMessage(k, a));
  return { input: n.inputs, output: n.outputs, name: n.name, opType: n.opType, attribute };
}

function rawBytes(data: Float32Array | BigInt64Array | Uint8Array): Uint8Array {
  // raw_data is little-endian; typed arrays are host-endian, which is little-endian on every platform Node ships for.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function tensorMessage(t: TensorSpec | NewTensor): Message {
  if ('data' in t) return { dims: t.dims, dataType: ELEM_CODE[t.type], name: t.name, rawData: rawBytes(t.data) };
  const raw =
    t.dataType === DataType.FLOAT
      ? Float32Array.from(t.values)
      : t.dataType === DataType.INT64
        ? BigInt64Array.from(t.values.map((v) => BigInt(v)))
        : Uint8Array.from(t.values.map((v) => (v ? 1 : 0)));
  return { dims: t.dims, dataType: t.dataType, name: t.name, rawData: rawBytes(raw) };
}

/**
 * ValueInfoProto; without `elemType` the type is left out and onnxruntime infers it (used to expose tensors of
 * unknown type as outputs). onnx.checker wants a shape on graph outputs, so pass one where it is known.
 */
function valueInfoMessage(name: string, elemType?: number, shape?: Array<number | string>): Message {
  if (elemType === undefined) return { name };
  const dims = shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, ...(dims ? { shape: { dim: dims } } : {}) } } };
}

const spec = (v: ValueInfoSpec): Message => valueInfoMessage(v.name, ELEM_CODE[v.type], v.shape);

export const encodeNode = (n: NewNode): Uint8Array => proto.NodeProto.encode(nodeMessage(n)).finish();
export const encodeTensor = (t: TensorSpec | NewTensor): Uint8Array =>
  proto.TensorProto.encode(tensorMessage(t)).finish();
export const encodeValueInfo = (name: string, elemType?: number, shape?: Array<number | string>): Uint8Array =>
  proto.ValueInfoProto.encode(valueInfoMessage(name, elemType, shape)).finish();

export function encodeModel(m: ModelSpec): Uint8Array {
  const g = m.graph;
  return proto.ModelProto.encode({
    irVersion: m.irVersion,
    producerName: m.producerName,
    producerVersion: m.producerVersion,
    ...(m.docString ? { docString: m.docString } : {}),
    graph: {
      node: g.nodes.map(nodeMessage),
      name: g.name,
      initializer: g.initializers.map(tensorMessage),
      input: g.inputs.map(spec),
      output: g.outputs.map(spec),
    },
    opsetImport: [{ domain: '', version: m.opsetVersion }],
    metadataProps: Object.entries(m.metadata).map(([key, value]) => ({ key, value })),
  }).finish();
}
