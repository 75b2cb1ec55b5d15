/**
 * Just enough of the ONNX protobuf to serve a model: metadata_props, node op types and outputs, graph
 * inputs/outputs, and appending graph outputs so onnxruntime returns intermediate values. onnxruntime's JS API
 * exposes neither custom metadata nor the node list, hence this reader. Field numbers are from onnx.proto.
 * (probe/onnx has a fuller decoder; this one stays here so serve builds on its own until probe lands.)
 */
import { ProtoWriter } from '../../export/onnx/proto-writer.js';

interface Field {
  num: number;
  /** Payload of a length-delimited field; undefined for varint / fixed fields (skipped). */
  bytes?: Uint8Array;
  start: number;
  end: number;
}

export interface OnnxNodeInfo {
  name: string;
  opType: string;
  outputs: string[];
}

export interface OnnxInfo {
  metadata: Record<string, string>;
  nodes: OnnxNodeInfo[];
  inputs: string[];
  outputs: string[];
}

function varint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Error(`ONNX file truncated inside a varint at byte ${pos}`);
    const b = buf[pos++];
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [result, pos];
    mul *= 128;
  }
  throw new Error(`varint longer than 10 bytes at byte ${pos}: not a protobuf message`);
}

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, p] = varint(buf, pos);
    const num = Math.floor(tag / 8);
    const wire = tag % 8;
    pos = p;
    if (wire === 0) pos = varint(buf, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, q] = varint(buf, pos);
      if (q + len > buf.length) throw new Error(`field ${num} claims ${len} bytes past the end: truncated ONNX file`);
      out.push({ num, bytes: buf.subarray(q, q + len), start, end: q + len });
      pos = q + len;
      continue;
    } else throw new Error(`wire type ${wire} at byte ${start}: not an ONNX file`);
    if (pos > buf.length) throw new Error(`field ${num} runs past the end: truncated ONNX file`);
    out.push({ num, start, end: pos });
  }
  return out;
}

const utf8 = new TextDecoder();
const str = (f: Field | undefined): string => (f?.bytes ? utf8.decode(f.bytes) : '');
const all = (fs: Field[], num: number): Field[] => fs.filter((f) => f.num === num && f.bytes);
const one = (fs: Field[], num: number): Field | undefined => fs.find((f) => f.num === num && f.bytes);

function graphField(model: Uint8Array): Field {
  const g = all(fields(model), 7);
  if (g.length !== 1) throw new Error(`expected one graph in the ONNX model, found ${g.length}; is it an ONNX file?`);
  return g[0];
}

export function readOnnxInfo(model: Uint8Array): OnnxInfo {
  const m = fields(model);
  const metadata: Record<string, string> = {};
  for (const kv of all(m, 14)) {
    const f = fields(kv.bytes!);
    metadata[str(one(f, 1))] = str(one(f, 2));
  }
  const g = fields(graphField(model).bytes!);
  const initializers = new Set(all(g, 5).map((t) => str(one(fields(t.bytes!), 8))));
  const nodes = all(g, 1).map((n): OnnxNodeInfo => {
    const f = fields(n.bytes!);
    return { name: str(one(f, 3)), opType: str(one(f, 4)), outputs: all(f, 2).map(str) };
  });
  const names = (num: number): string[] => all(g, num).map((v) => str(one(fields(v.bytes!), 1)));
  // Old IR versions list initializers among graph inputs; those are weights, not inputs a client feeds.
  return { metadata, nodes, inputs: names(11).filter((n) => !initializers.has(n)), outputs: names(12) };
}

/** The same model with `names` appended as graph outputs (type left out: onnxruntime infers it). */
export function withGraphOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const g = graphField(model);
  const extra = new ProtoWriter();
  for (const name of names) extra.message(12, (v) => v.string(1, name));
  const graph = new ProtoWriter().bytes(7, concat([g.bytes!, extra.finish()])).finish();
  return concat([model.subarray(0, g.start), graph, model.subarray(g.end)]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
