import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx, readIdx } from '../../data/idx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idx-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('IDX reader', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);

  it('parses a hand-built header: magic 0x00000803, big-endian dims', () => {
    const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, ...data]);
    const t = parseIdx(bytes, 'hand.idx');
    expect(t.dims).toEqual([2, 3, 4]);
    expect(Array.from(t.data)).toEqual(Array.from(data));
    expect(encodeIdx([2, 3, 4], data)).toEqual(bytes);
  });

  it('reads gzipped and plain files alike', async () => {
    const raw = encodeIdx([2, 3, 4], data);
    await writeFile(join(dir, 'a.idx'), raw);
    await writeFile(join(dir, 'a.idx.gz'), gzipSync(raw));
    // gzip is detected by content, not by name
    await writeFile(join(dir, 'misnamed'), gzipSync(raw));
    for (const f of ['a.idx', 'a.idx.gz', 'misnamed']) {
      const t = await readIdx(join(dir, f));
      expect(t.dims).toEqual([2, 3, 4]);
      expect(t.data[23]).toBe(230);
    }
  });

  it('rejects bad magic, unsupported types and size mismatches, naming the file', () => {
    const good = encodeIdx([2, 3, 4], data);
    const badMagic = good.slice();
    badMagic[0] = 1;
    expect(() => parseIdx(badMagic, 'x.idx')).toThrow(/x\.idx.*two zero bytes/);
    const floats = good.slice();
    floats[2] = 0x0d;
    expect(() => parseIdx(floats, 'f.idx')).toThrow(/f\.idx.*0x0d \(float\)/);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'short.idx')).toThrow(
      /short\.idx.*need 24 data bytes but the file has 23/,
    );
    expect(() => parseIdx(good.subarray(0, 10), 'hdr.idx')).toThrow(/hdr\.idx.*3 dimensions/);
    expect(() => parseIdx(new Uint8Array(2), 'tiny.idx')).toThrow(/tiny\.idx/);
  });

  it('reports truncated gzip and missing files with the path', async () => {
    const gz = gzipSync(encodeIdx([2, 3, 4], data));
    await writeFile(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 8));
    await expect(readIdx(join(dir, 'cut.gz'))).rejects.toThrow(/cut\.gz.*truncated/);
    await expect(readIdx(join(dir, 'nope.gz'))).rejects.toThrow(/nope\.gz/);
  });
});
