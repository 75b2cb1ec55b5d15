import { ProtoWriter } from './proto-writer.js';

/**
 * The ONNX subset the exporter writes, as plain data (so a verification copy can add outputs before encoding),
 * and its encoder. Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, …).
 */
export type ElemType = 'float' | 'int64';
const ELEM_CODE: Record<ElemType, number> = { float: 1, int64: 7 };

export interface OnnxTensor {
  name: string;
  type: ElemType;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string };

export const attr = {
  int: (value: number): OnnxAttribute => ({ kind: 'int', value }),
  ints: (value: number[]): OnnxAttribute => ({ kind: 'ints', value }),
  float: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  floats: (value: number[]): OnnxAttribute => ({ kind: 'floats', value }),
  string: (value: string): OnnxAttribute => ({ kind: 'string', value }),
};
const ATTR_TYPE: Record<OnnxAttribute['kind'], number> = { float: 1, int: 2, string: 3, floats: 6, ints: 7 };

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
}

/** A dimension is a fixed size or a symbolic name (dim_param), e.g. 'N' for the dynamic batch. */
export interface OnnxValueInfo {
  name: string;
  type: ElemType;
  shape: Array<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: OnnxGraph;
  metadata: Record<string, string>;
}

function tensorBytes(t: OnnxTensor): Uint8Array {
  // raw_data is little-endian; typed arrays are host-endian, which is little-endian on every platform Node ships for.
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, ELEM_CODE[t.type]).string(8, t.name).bytes(9, tensorBytes(t));
}

function writeAttribute(w: ProtoWriter, name: string, a: OnnxAttribute): void {
  w.string(1, name).int(20, ATTR_TYPE[a.kind]);
  switch (a.kind) {
    case 'int':
      w.int(3, a.value);
      break;
    case 'float':
      w.float(2, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'ints':
      for (const v of a.value) w.int(8, v);
      break;
    case 'floats':
      for (const v of a.value) w.float(7, v);
      break;
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) w.message(5, (aw) => writeAttribute(aw, name, a));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ELEM_CODE[v.type]);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeGraph(w: ProtoWriter, g: OnnxGraph): void {
  for (const n of g.nodes) w.message(1, (nw) => writeNode(nw, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (tw) => writeTensor(tw, t));
  for (const v of g.inputs) w.message(11, (vw) => writeValueInfo(vw, v));
  for (const v of g.outputs) w.message(12, (vw) => writeValueInfo(vw, v));
}

export function encodeModel(m: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, m.irVersion).string(2, m.producerName).string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, (gw) => writeGraph(gw, m.graph));
  w.message(8, (ow) => ow.string(1, '').int(2, m.opsetVersion));
  for (const [key, value] of Object.entries(m.metadata)) w.message(14, (kv) => kv.string(1, key).string(2, value));
  return w.finish();
}
