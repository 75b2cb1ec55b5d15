/**
 * Writer side of the wire format for the few ONNX messages the probe appends (NodeProto, TensorProto,
 * ValueInfoProto). Field numbers follow onnx.proto; each helper returns complete field bytes.
 */
import { WIRE } from './wire.js';

export function varint(value: number | bigint): Uint8Array {
  // int64 negatives are written as 64-bit two's complement (10 bytes), as protobuf does.
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

const tag = (num: number, wire: number): Uint8Array => varint((num << 3) | wire);
const utf8 = new TextEncoder();

export const fieldVarint = (num: number, v: number | bigint): Uint8Array => concat([tag(num, WIRE.varint), varint(v)]);
export const fieldBytes = (num: number, payload: Uint8Array): Uint8Array =>
  concat([tag(num, WIRE.bytes), varint(payload.length), payload]);
export const fieldString = (num: number, s: string): Uint8Array => fieldBytes(num, utf8.encode(s));

export const DataType = { FLOAT: 1, INT64: 7, BOOL: 9 } as const;

export type AttributeValue = { kind: 'int'; value: number } | { kind: 'ints'; value: number[] } | { kind: 'float'; value: number };

/** AttributeProto: name=1, f=2, i=3, ints=8, type=20 (FLOAT=1, INT=2, INTS=7). */
function attribute(name: string, a: AttributeValue): Uint8Array {
  const parts = [fieldString(1, name)];
  if (a.kind === 'int') parts.push(fieldVarint(3, a.value), fieldVarint(20, 2));
  else if (a.kind === 'ints') parts.push(...a.value.map((v) => fieldVarint(8, v)), fieldVarint(20, 7));
  else {
    const f = new Uint8Array(4);
    new DataView(f.buffer).setFloat32(0, a.value, true);
    parts.push(concat([tag(2, WIRE.fixed32), f]), fieldVarint(20, 1));
  }
  return concat(parts);
}

export interface NewNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

/** NodeProto: input=1, output=2, name=3, op_type=4, attribute=5. */
export function encodeNode(n: NewNode): Uint8Array {
  return concat([
    ...n.inputs.map((i) => fieldString(1, i)),
    ...n.outputs.map((o) => fieldString(2, o)),
    fieldString(3, n.name),
    fieldString(4, n.opType),
    ...Object.entries(n.attributes ?? {}).map(([k, v]) => fieldBytes(5, attribute(k, v))),
  ]);
}

export interface NewTensor {
  name: string;
  dims: number[];
  dataType: (typeof DataType)[keyof typeof DataType];
  values: number[];
}

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian). */
export function encodeTensor(t: NewTensor): Uint8Array {
  let raw: Uint8Array;
  if (t.dataType === DataType.FLOAT) raw = new Uint8Array(Float32Array.from(t.values).buffer);
  else if (t.dataType === DataType.INT64) raw = new Uint8Array(BigInt64Array.from(t.values.map((v) => BigInt(v))).buffer);
  else raw = Uint8Array.from(t.values.map((v) => (v ? 1 : 0)));
  return concat([...t.dims.map((d) => fieldVarint(1, d)), fieldVarint(2, t.dataType), fieldString(8, t.name), fieldBytes(9, raw)]);
}

/**
 * ValueInfoProto for a graph output: name=1, type=2 → TypeProto.tensor_type=1 → elem_type=1 (shape left out).
 * Without `elemType` the type is omitted and onnxruntime infers it (used to expose tensors of unknown type).
 */
export function encodeValueInfo(name: string, elemType?: number, shape?: Array<number | string>): Uint8Array {
  if (elemType === undefined) return fieldString(1, name);
  // TensorShapeProto.dim=1 → Dimension dim_value=1 | dim_param=2 (onnx.checker wants a shape on graph outputs).
  const dims = shape?.map((d) => fieldBytes(1, typeof d === 'number' ? fieldVarint(1, d) : fieldString(2, d))) ?? [];
  const tensorType = concat([fieldVarint(1, elemType), ...(shape ? [fieldBytes(2, concat(dims))] : [])]);
  return concat([fieldString(1, name), fieldBytes(2, fieldBytes(1, tensorType))]);
}
