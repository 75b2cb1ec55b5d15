/**
 * Protobuf wire format at the byte level, for what a schema-driven codec cannot do: find where each field of a
 * message starts and ends, so patch.ts can splice new bytes around untouched ones (weights are copied once,
 * never decoded, and fields this project's schema does not know survive as they were). Field values are views
 * into the original bytes. Encoding and decoding of whole messages go through protobufjs (encode.ts, model.ts).
 */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export interface Field {
  num: number;
  wire: number;
  /** varint value (as bigint: int64 fields such as dims may exceed 2^53). */
  varint?: bigint;
  /** Payload of a length-delimited, fixed32 or fixed64 field. */
  bytes?: Uint8Array;
  /** Byte range of the whole field (tag included) in the message it came from. */
  start: number;
  end: number;
}

export class WireError extends Error {}

function readVarint(buf: Uint8Array, pos: number, what: string): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length)
      throw new WireError(`Truncated varint in ${what} at byte ${pos}; the file is cut short or not ONNX.`);
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
  throw new WireError(`Varint longer than 10 bytes in ${what} at byte ${pos}; the file is not a protobuf message.`);
}

/** Splits one message into its fields, in file order. `what` names the message in errors. */
export function readFields(buf: Uint8Array, what = 'message'): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, p1] = readVarint(buf, pos, what);
    pos = p1;
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (num === 0)
      throw new WireError(`Field number 0 in ${what} at byte ${start}; the file is not a protobuf message.`);
    if (wire === WIRE.varint) {
      const [v, p2] = readVarint(buf, pos, what);
      pos = p2;
      fields.push({ num, wire, varint: v, start, end: pos });
    } else if (wire === WIRE.bytes) {
      const [len, p2] = readVarint(buf, pos, what);
      const stop = p2 + Number(len);
      if (stop > buf.length)
        throw new WireError(
          `Field ${num} of ${what} claims ${len} bytes but only ${buf.length - p2} remain; the file is truncated.`,
        );
      fields.push({ num, wire, bytes: buf.subarray(p2, stop), start, end: stop });
      pos = stop;
    } else if (wire === WIRE.fixed32 || wire === WIRE.fixed64) {
      const stop = pos + (wire === WIRE.fixed32 ? 4 : 8);
      if (stop > buf.length) throw new WireError(`Truncated fixed-width field ${num} in ${what}.`);
      fields.push({ num, wire, bytes: buf.subarray(pos, stop), start, end: stop });
      pos = stop;
    } else {
      throw new WireError(
        `Unsupported wire type ${wire} (field ${num}) in ${what} at byte ${start}; groups are not used by ONNX.`,
      );
    }
  }
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
export const text = (b: Uint8Array | undefined): string => (b ? utf8.decode(b) : '');

/** int64 as a JS number; protobuf writes negative int64 as 10-byte two's complement varints. */
export function int64(v: bigint | undefined): number {
  if (v === undefined) return 0;
  return Number(BigInt.asIntN(64, v));
}

/** Repeated int64 fields come packed (one bytes field) or unpacked (one varint per value). */
export function repeatedInt64(fields: Field[], num: number, what: string): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.num !== num) continue;
    if (f.wire === WIRE.varint) out.push(int64(f.varint));
    else if (f.bytes) {
      let pos = 0;
      while (pos < f.bytes.length) {
        const [v, p] = readVarint(f.bytes, pos, what);
        out.push(int64(v));
        pos = p;
      }
    }
  }
  return out;
}

export function float32(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0, true);
}

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

/** One buffer holding `parts` back to back (a single copy of each part). */
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
const utf8Encoder = new TextEncoder();

export const fieldVarint = (num: number, v: number | bigint): Uint8Array => concat([tag(num, WIRE.varint), varint(v)]);
export const fieldBytes = (num: number, payload: Uint8Array): Uint8Array =>
  concat([tag(num, WIRE.bytes), varint(payload.length), payload]);
export const fieldString = (num: number, s: string): Uint8Array => fieldBytes(num, utf8Encoder.encode(s));

/** The tag and length prefix of a length-delimited field whose payload is `parts`, without copying the parts. */
export function framing(num: number, parts: Uint8Array[]): Uint8Array {
  return concat([tag(num, WIRE.bytes), varint(parts.reduce((n, p) => n + p.length, 0))]);
}
