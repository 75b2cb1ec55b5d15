/**
 * Typed view of the ONNX subset the probe and the server read, decoded by protobufjs (schema.ts). Weights are
 * not decoded: initializers keep only name and dims (their bytes stay views into the file), so a 240 MB
 * AlexNet reads in about a millisecond.
 */
import { AttributeType, proto, toInt } from './schema.js';

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

/** The decoded messages' shape, as far as this file reads them (protobufjs gives defaults for unset fields). */
interface Decoded {
  irVersion?: unknown;
  producerName?: string;
  producerVersion?: string;
  opsetImport: Array<{ domain?: string; version?: unknown }>;
  metadataProps: Array<{ key?: string; value?: string }>;
  graph?: DecodedGraph;
}
interface DecodedGraph {
  name?: string;
  node: DecodedNode[];
  initializer: Array<{ name?: string; dims: unknown[] }>;
  input: DecodedValueInfo[];
  output: DecodedValueInfo[];
  valueInfo: DecodedValueInfo[];
}
interface DecodedNode {
  name?: string;
  opType?: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: DecodedAttribute[];
}
interface DecodedAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: unknown;
  s?: Uint8Array;
  t?: { dims: unknown[] };
  g?: unknown;
  floats: number[];
  ints: unknown[];
  strings: Uint8Array[];
}
interface DecodedValueInfo {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim: Array<{ dimValue?: unknown; dimParam?: string }> } } };
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const text = (b: Uint8Array | undefined): string => (b ? utf8.decode(b) : '');
const has = (m: object, key: string): boolean => Object.hasOwn(m, key);

export function decodeModel(bytes: Uint8Array, source = 'model'): OnnxModel {
  let m: Decoded;
  try {
    m = proto.ModelProto.decode(bytes) as unknown as Decoded;
  } catch (err) {
    throw new Error(
      `${source} is not a readable ONNX model (${(err as Error).message}); is the file cut short or another format?`,
    );
  }
  const g = m.graph;
  if (!g) throw new Error(`${source} has no graph (ModelProto field 7); is it an ONNX model file?`);
  const opsets: Record<string, number> = {};
  for (const o of m.opsetImport) opsets[o.domain ?? ''] = toInt(o.version);
  const metadata: Record<string, string> = {};
  for (const kv of m.metadataProps) metadata[kv.key ?? ''] = kv.value ?? '';
  const initializers = new Map(g.initializer.map((t) => [t.name ?? '', t.dims.map(toInt)]));
  return {
    irVersion: toInt(m.irVersion),
    producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '),
    opset: opsets[''] ?? opsets['ai.onnx'] ?? 0,
    opsets,
    metadata,
    graphName: g.name ?? '',
    nodes: g.node.map(decodeNode),
    initializers,
    inputs: g.input.map(decodeValueInfo).filter((v) => !initializers.has(v.name)),
    outputs: g.output.map(decodeValueInfo),
    valueInfo: new Map(g.valueInfo.map((v) => [v.name ?? '', decodeValueInfo(v)])),
  };
}

function decodeNode(n: DecodedNode): OnnxNode {
  return {
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...n.input],
    outputs: [...n.output],
    attributes: Object.fromEntries(n.attribute.map((a) => [a.name ?? '', decodeAttribute(a)])),
  };
}

/** `type` tells which field holds the value; files without it (old exporters) are read by which field is set. */
function decodeAttribute(a: DecodedAttribute): AttributeValue {
  const type = a.type ?? 0;
  if (type === AttributeType.FLOAT || (type === 0 && has(a, 'f'))) return a.f ?? 0;
  if (type === AttributeType.INT || (type === 0 && has(a, 'i'))) return toInt(a.i);
  if (type === AttributeType.STRING) return text(a.s);
  if (type === AttributeType.TENSOR) return { tensorDims: (a.t?.dims ?? []).map(toInt) };
  if (type === AttributeType.GRAPH || type === AttributeType.GRAPHS) return { graph: true };
  if (type === AttributeType.FLOATS) return [...a.floats];
  if (type === AttributeType.INTS) return a.ints.map(toInt);
  if (type === AttributeType.STRINGS) return a.strings.map((s) => text(s));
  return [];
}

function decodeValueInfo(v: DecodedValueInfo): OnnxValueInfo {
  const name = v.name ?? '';
  const tensor = v.type?.tensorType;
  if (!tensor) return { name, elemType: 0, shape: null };
  const shape = tensor.shape
    ? tensor.shape.dim.map(
        (d): Dim => (has(d, 'dimValue') ? toInt(d.dimValue) : has(d, 'dimParam') ? (d.dimParam ?? null) : null),
      )
    : null;
  return { name, elemType: tensor.elemType ?? 0, shape };
}
