/**
 * The decoded cache of an image folder (`npm run prepare-data`): every good image decoded once at the
 * training size, stored as raw uint8 HWC rows after a header padded to a 4 KiB multiple, so row i sits at
 * headerBytes + i·H·W·C and the file can be memory-mapped or read with positional reads (what `readRow`
 * does: the OS page cache then holds the hot rows). Its name carries a fingerprint of the folder (every
 * path, size and mtime) and the size, so a changed folder or another size simply finds no cache; the header
 * repeats it, and lists the files found bad when it was made (so a run with a cache scans nothing).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BadImage } from './image-check.js';
import { mapConcurrent } from './util.js';
import { settings } from '../settings/index.js';

const MAGIC = 'APDCACHE';
const PAGE = 4096;

export interface CacheKey {
  height: number;
  width: number;
  channels: 1 | 3;
  /** Every image file the folder holds (good or bad), in scan order: what the fingerprint covers. */
  paths: readonly string[];
}

interface CacheHeader {
  version: 1;
  fingerprint: string;
  height: number;
  width: number;
  channels: number;
  /** Rows: the good files, in scan order. */
  count: number;
  bad: BadImage[];
}

export function defaultDecodedCacheDir(): string {
  return settings().decodedCacheDir;
}

/** sha256 over the size, then every path with its byte size and mtime: any change to the folder changes it. */
export async function fingerprint(key: CacheKey): Promise<string> {
  const stats = await mapConcurrent(key.paths, 32, (p) => stat(p));
  const h = createHash('sha256').update(`v1 ${key.height}x${key.width}x${key.channels}\n`);
  key.paths.forEach((p, i) => h.update(`${p}\0${stats[i].size}\0${stats[i].mtimeMs}\n`));
  return h.digest('hex');
}

export function decodedCachePath(dir: string, key: CacheKey, print: string): string {
  return join(dir, `image-folder-${key.height}x${key.width}x${key.channels}-${print.slice(0, 24)}.u8`);
}

export interface DecodedCache {
  path: string;
  /** Files found bad when the cache was made; every other file of `paths` has a row, in order. */
  bad: BadImage[];
  /** Copies row `row` (H·W·C bytes) into `dst` at `offset`. */
  readRow(row: number, dst: Uint8Array, offset: number): void;
  close(): void;
}

/**
 * Opens the cache for these files when it is there and whole; null otherwise, with the reason in `why`
 * (a cache cut short by a kill, or from another version, is not used, never half-trusted).
 */
export async function openDecodedCache(
  path: string,
  key: CacheKey,
  print: string,
): Promise<{ cache: DecodedCache | null; why: string }> {
  const s = await stat(path).catch(() => null);
  if (!s) return { cache: null, why: `no decoded cache ${path}` };
  const rowBytes = key.height * key.width * key.channels;
  const fd = openSync(path, 'r');
  let header: CacheHeader | null = null;
  let headerBytes = 0;
  try {
    const fixed = Buffer.alloc(16);
    readSync(fd, fixed, 0, 16, 0);
    if (fixed.toString('latin1', 0, 8) === MAGIC) {
      headerBytes = fixed.readUInt32LE(8);
      const json = Buffer.alloc(fixed.readUInt32LE(12));
      readSync(fd, json, 0, json.length, 16);
      header = JSON.parse(json.toString('utf8')) as CacheHeader;
    }
  } catch {
    header = null;
  }
  const expected = header ? headerBytes + header.count * rowBytes : 0;
  const why = !header
    ? 'its header is unreadable'
    : header.fingerprint !== print
      ? 'it was made from other files'
      : header.count + header.bad.length !== key.paths.length || s.size !== expected
        ? `it holds ${s.size} bytes, ${expected} expected (cut short?)`
        : '';
  if (!header || why) {
    closeSync(fd);
    return { cache: null, why: `decoded cache ${path} is not used: ${why}; run \`npm run prepare-data\` again` };
  }
  let isOpen = true;
  return {
    why: '',
    cache: {
      path,
      bad: header.bad,
      readRow(row, dst, offset) {
        const got = readSync(fd, dst, offset, rowBytes, headerBytes + row * rowBytes);
        if (got !== rowBytes)
          throw new Error(
            `decoded cache ${path}: row ${row} is short (${got} of ${rowBytes} bytes); run \`npm run prepare-data\` again`,
          );
      },
      close() {
        if (isOpen) closeSync(fd);
        isOpen = false;
      },
    },
  };
}

/**
 * Writes the cache by decoding every file of `key.paths` not in `bad` through `decode` (`concurrency` at a
 * time), to a temp name renamed into place when whole. Reports progress through `onRow`.
 */
export async function writeDecodedCache(
  path: string,
  key: CacheKey,
  print: string,
  bad: BadImage[],
  decode: (path: string) => Promise<Uint8Array>,
  opts: { concurrency: number; onRow?: (done: number) => void },
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const rowBytes = key.height * key.width * key.channels;
  const skip = new Set(bad.map((b) => b.path));
  const rows = key.paths.filter((p) => !skip.has(p));
  const header: CacheHeader = {
    version: 1,
    fingerprint: print,
    height: key.height,
    width: key.width,
    channels: key.channels,
    count: rows.length,
    bad,
  };
  const json = Buffer.from(JSON.stringify(header));
  const headerBytes = Math.ceil((16 + json.length) / PAGE) * PAGE;
  const head = Buffer.alloc(headerBytes);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(headerBytes, 8);
  head.writeUInt32LE(json.length, 12);
  json.copy(head, 16);
  const f = await open(tmp, 'w');
  try {
    await f.write(head, 0, headerBytes, 0);
    let done = 0;
    await mapConcurrent(rows, opts.concurrency, async (p, i) => {
      const row = await decode(p);
      if (row.length !== rowBytes) throw new Error(`${p} decoded to ${row.length} bytes, expected ${rowBytes}`);
      await f.write(row, 0, rowBytes, headerBytes + i * rowBytes);
      opts.onRow?.(++done);
    });
    await f.sync();
  } catch (err) {
    await f.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await f.close();
  await rename(tmp, path);
}
