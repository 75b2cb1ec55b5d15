import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

/** An IDX tensor of unsigned bytes (the only element type Fashion-MNIST/MNIST use). */
export interface IdxTensor {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 8: 'ubyte', 9: 'byte', 11: 'short', 12: 'int', 13: 'float', 14: 'double' };

/** Reads an IDX file, gunzipping when the bytes start with the gzip magic (whatever the name says). */
export async function readIdx(file: string): Promise<IdxTensor> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Error(`Cannot read IDX file ${file}: ${(err as Error).message}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (err) {
      throw new Error(
        `IDX file ${file} looks gzipped but does not decompress (${(err as Error).message}); it is probably truncated: delete it and fetch it again.`,
      );
    }
  }
  return parseIdx(bytes, file);
}

/** Parses raw (already decompressed) IDX bytes; `file` only labels errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxTensor {
  const bad = (why: string): Error =>
    new Error(`${file} is not a valid IDX file: ${why}. Replace it with an intact copy.`);
  if (bytes.length < 4) throw bad(`only ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0)
    throw bad(`magic number must start with two zero bytes, got 0x${hex(bytes[0])}${hex(bytes[1])}`);
  const type = bytes[2];
  const rank = bytes[3];
  if (type !== UBYTE) {
    throw bad(
      `element type 0x${hex(type)} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported; only 0x08 (unsigned byte) is`,
    );
  }
  if (rank < 1) throw bad('rank 0 (no dimensions)');
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize)
    throw bad(`header declares ${rank} dimensions but the file ends after ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    dims.push(n);
    size *= n;
  }
  const payload = bytes.length - headerSize;
  if (payload !== size) {
    throw bad(`dimensions [${dims.join(', ')}] need ${size} data bytes but the file has ${payload}`);
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/** Encodes an unsigned-byte IDX tensor (for fixtures and exporting subsets). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length)
    throw new RangeError(`encodeIdx: dims [${dims.join(', ')}] need ${size} bytes, got ${data.length}.`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = dims.length;
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
