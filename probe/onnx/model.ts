/**
 * Typed view of the ONNX subset the probe needs (onnx.proto field numbers in comments). Weights are not
 * decoded: initializers keep only name and dims, so a 240 MB AlexNet reads in milliseconds.
 */
import { float32, int64, readFields, repeatedInt64, text, WIRE, type Field } from './wire.js';

export type AttributeValue = number | string | number[] | string[] | { tensorDims: number[] } | { graph: true };

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

/** Dimension: a number, a symbolic name (e.g. "N"), or null when unknown. */
export type Dim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** null when the type carries no shape at all. */
  shape: Dim[] | null;
}

export interface OnnxModel {
  irVersion: number;
  producer: string;
  /** Version of the default ("" / "ai.onnx") operator set. */
  opset: number;
  opsets: Record<string, number>;
  metadata: Record<string, string>;
  graphName: string;
  nodes: OnnxNode[];
  initializers: Map<string, number[]>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo: Map<string, OnnxValueInfo>;
}

const byNum = (fields: Field[], num: number): Field[] => fields.filter((f) => f.num === num);
const first = (fields: Field[], num: number): Field | undefined => fields.find((f) => f.num === num);

export function decodeModel(bytes: Uint8Array, source = 'model'): OnnxModel {
  const m = readFields(bytes, `${source} (ModelProto)`);
  const graph = first(m, 7);
  if (!graph?.bytes) throw new Error(`${source} has no graph (ModelProto field 7); is it an ONNX model file?`);
  const opsets: Record<string, number> = {};
  for (const f of byNum(m, 8)) {
    const o = readFields(f.bytes!, 'opset_import');
    opsets[text(first(o, 1)?.bytes)] = int64(first(o, 2)?.varint);
  }
  const metadata: Record<string, string> = {};
  for (const f of byNum(m, 14)) {
    const kv = readFields(f.bytes!, 'metadata_props');
    metadata[text(first(kv, 1)?.bytes)] = text(first(kv, 2)?.bytes);
  }
  const g = readFields(graph.bytes, `${source} graph`);
  const initializers = new Map<string, number[]>();
  for (const f of byNum(g, 5)) {
    const t = readFields(f.bytes!, 'initializer');
    initializers.set(text(first(t, 8)?.bytes), repeatedInt64(t, 1, 'initializer dims'));
  }
  const valueInfo = new Map<string, OnnxValueInfo>();
  for (const f of byNum(g, 13)) {
    const v = decodeValueInfo(f.bytes!);
    valueInfo.set(v.name, v);
  }
  return {
    irVersion: int64(first(m, 1)?.varint),
    producer: [text(first(m, 2)?.bytes), text(first(m, 3)?.bytes)].filter(Boolean).join(' '),
    opset: opsets[''] ?? opsets['ai.onnx'] ?? 0,
    opsets,
    metadata,
    graphName: text(first(g, 2)?.bytes),
    nodes: byNum(g, 1).map((f) => decodeNode(f.bytes!)),
    initializers,
    inputs: byNum(g, 11).map((f) => decodeValueInfo(f.bytes!)).filter((v) => !initializers.has(v.name)),
    outputs: byNum(g, 12).map((f) => decodeValueInfo(f.bytes!)),
    valueInfo,
  };
}

function decodeNode(bytes: Uint8Array): OnnxNode {
  const f = readFields(bytes, 'node');
  const attributes: Record<string, AttributeValue> = {};
  for (const a of byNum(f, 5)) {
    const af = readFields(a.bytes!, 'attribute');
    attributes[text(first(af, 1)?.bytes)] = decodeAttribute(af);
  }
  return {
    name: text(first(f, 3)?.bytes),
    opType: text(first(f, 4)?.bytes),
    domain: text(first(f, 7)?.bytes),
    inputs: byNum(f, 1).map((x) => text(x.bytes)),
    outputs: byNum(f, 2).map((x) => text(x.bytes)),
    attributes,
  };
}

/** AttributeProto: f=2, i=3, s=4, t=5, g=6, floats=7, ints=8, strings=9; type=20 disambiguates empty lists. */
function decodeAttribute(af: Field[]): AttributeValue {
  const type = int64(first(af, 20)?.varint);
  const f = first(af, 2);
  if (type === 1 || (type === 0 && f)) return f?.bytes ? float32(f.bytes) : 0;
  if (type === 2 || (type === 0 && first(af, 3))) return int64(first(af, 3)?.varint);
  if (type === 3) return text(first(af, 4)?.bytes);
  if (type === 4) return { tensorDims: repeatedInt64(readFields(first(af, 5)?.bytes ?? new Uint8Array(), 'tensor'), 1, 'dims') };
  if (type === 5 || type === 10) return { graph: true };
  if (type === 6) return decodeFloats(af);
  if (type === 7) return repeatedInt64(af, 8, 'ints');
  if (type === 8) return byNum(af, 9).map((x) => text(x.bytes));
  return [];
}

function decodeFloats(af: Field[]): number[] {
  const out: number[] = [];
  for (const x of byNum(af, 7)) {
    if (!x.bytes) continue;
    // Packed floats are one bytes field; unpacked ones are fixed32 fields of 4 bytes each.
    for (let i = 0; i + 4 <= x.bytes.length; i += 4) out.push(float32(x.bytes.subarray(i, i + 4)));
  }
  return out;
}

/** ValueInfoProto name=1, type=2 → TypeProto tensor_type=1 → elem_type=1, shape=2 → dim=1 (value=1, param=2). */
function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  const f = readFields(bytes, 'value_info');
  const name = text(first(f, 1)?.bytes);
  const tensor = first(readFields(first(f, 2)?.bytes ?? new Uint8Array(), 'type'), 1);
  if (!tensor?.bytes) return { name, elemType: 0, shape: null };
  const tt = readFields(tensor.bytes, 'tensor_type');
  const shapeField = first(tt, 2);
  const shape = shapeField?.bytes
    ? byNum(readFields(shapeField.bytes, 'shape'), 1).map((d): Dim => {
        const df = readFields(d.bytes!, 'dim');
        const value = first(df, 1);
        if (value && value.wire === WIRE.varint) return int64(value.varint);
        const param = first(df, 2);
        return param ? text(param.bytes) : null;
      })
    : null;
  return { name, elemType: int64(first(tt, 1)?.varint), shape };
}
