import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError } from '../../data/download.js';
import {
  createFashionMnist,
  FASHION_MNIST_FILES,
  FASHION_MNIST_SYSTEM_DIR,
  type FashionMnistFile,
} from '../../data/fashion-mnist.js';
import { encodeIdx } from '../../data/idx.js';

const quiet = { log: () => {}, env: {}, systemDir: null };

/** Tiny stand-in set: 4x4 images whose pixel k of example n is (n * 16 + k) mod 256. */
function fixture(nTrain: number, nTest: number): Record<FashionMnistFile, Uint8Array> {
  const images = (n: number) =>
    encodeIdx(
      [n, 4, 4],
      Uint8Array.from({ length: n * 16 }, (_, i) => i % 256),
    );
  const labels = (n: number) =>
    encodeIdx(
      [n],
      Uint8Array.from({ length: n }, (_, i) => (i * 3) % 10),
    );
  return {
    'train-images': gzipSync(images(nTrain)),
    'train-labels': gzipSync(labels(nTrain)),
    't10k-images': gzipSync(images(nTest)),
    't10k-labels': gzipSync(labels(nTest)),
  };
}
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const checksumsOf = (f: Record<FashionMnistFile, Uint8Array>) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, md5(v)])) as Record<FashionMnistFile, string>;

let tmp: string;
let server: Server;
let baseUrl: string;
let served = fixture(6, 4);
const requests: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'fmnist-test-'));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const key = (Object.keys(FASHION_MNIST_FILES) as FashionMnistFile[]).find(
      (k) => req.url === `/${FASHION_MNIST_FILES[k].name}`,
    );
    if (!key) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served[key]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(tmp, { recursive: true, force: true });
});

const hasReal = existsSync(join(FASHION_MNIST_SYSTEM_DIR, 't10k-images-idx3-ubyte.gz'));
if (!hasReal)
  console.warn(
    `skipping real Fashion-MNIST test: ${FASHION_MNIST_SYSTEM_DIR} is absent (apt-get install dataset-fashion-mnist)`,
  );

describe('fashion-mnist', () => {
  it.skipIf(!hasReal)('reads the real dataset from /usr/share/datasets', async () => {
    const src = await createFashionMnist({
      ...quiet,
      systemDir: FASHION_MNIST_SYSTEM_DIR,
      cacheDir: join(tmp, 'empty-cache'),
      download: false,
    });
    expect(src.info).toMatchObject({
      height: 28,
      width: 28,
      channels: 1,
      classes: 10,
      trainCount: 60000,
      testCount: 10000,
      origin: FASHION_MNIST_SYSTEM_DIR,
    });
    expect(src.info.labels[9]).toBe('Ankle boot');
    const batch = await src.read('train', [0, 1, 59999]);
    expect(batch.images.length).toBe(3 * 784);
    // The published first training labels are Ankle boot, T-shirt/top.
    expect(Array.from(batch.labels.subarray(0, 2))).toEqual([9, 0]);
    expect(Math.min(...batch.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...batch.images)).toBeLessThanOrEqual(1);
    expect(Math.max(...batch.images)).toBeGreaterThan(0.5);
    const labels = await src.labels('test');
    expect(new Set(labels).size).toBe(10);
    expect(labels.every((l) => l >= 0 && l <= 9)).toBe(true);
  });

  it('finds files through ACTPROBE_DATA, gzipped or not, and honours limits', async () => {
    const dir = join(tmp, 'user');
    await mkdir(dir);
    const f = fixture(6, 4);
    for (const k of Object.keys(f) as FashionMnistFile[]) await writeFile(join(dir, FASHION_MNIST_FILES[k].name), f[k]);
    const src = await createFashionMnist({
      ...quiet,
      env: { ACTPROBE_DATA: dir },
      cacheDir: join(tmp, 'unused'),
      download: false,
      limitTrain: 5,
      checksums: checksumsOf(f),
    });
    expect(src.info).toMatchObject({ height: 4, width: 4, trainCount: 5, testCount: 4, origin: dir });
    const b = await src.read('train', [2, 0]);
    expect(Array.from(b.labels)).toEqual([6, 0]);
    expect(b.images[0]).toBeCloseTo(32 / 255, 6);
    expect(b.images[16 + 15]).toBeCloseTo(15 / 255, 6);
    await expect(src.read('train', [5])).rejects.toThrow(/train index 5.*5 examples/);
  });

  it('downloads into the cache with verified checksums, then reuses it offline', async () => {
    const cacheDir = join(tmp, 'cache-ok');
    served = fixture(6, 4);
    requests.length = 0;
    const src = await createFashionMnist({ ...quiet, cacheDir, baseUrl, checksums: checksumsOf(served) });
    expect(requests.sort()).toEqual(
      Object.values(FASHION_MNIST_FILES)
        .map((f) => `/${f.name}`)
        .sort(),
    );
    expect(src.info.trainCount).toBe(6);
    expect((await readdir(cacheDir)).sort()).toEqual(
      Object.values(FASHION_MNIST_FILES)
        .map((f) => f.name)
        .sort(),
    );
    const again = await createFashionMnist({
      ...quiet,
      cacheDir,
      baseUrl: 'http://127.0.0.1:9/',
      checksums: checksumsOf(served),
    });
    expect(again.info.testCount).toBe(4);
    expect(requests.length).toBe(4);
  });

  it('rejects a checksum mismatch and leaves no file behind', async () => {
    const cacheDir = join(tmp, 'cache-bad');
    served = fixture(6, 4);
    const checksums = { ...checksumsOf(served), 't10k-labels': '0'.repeat(32) };
    const err = await createFashionMnist({ ...quiet, cacheDir, baseUrl, checksums }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect((err as Error).message).toMatch(/t10k-labels-idx1-ubyte\.gz.*expected 0{32}/);
    const left = await readdir(cacheDir);
    expect(left).not.toContain('t10k-labels-idx1-ubyte.gz');
    expect(left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('offline: names the apt package and ACTPROBE_DATA', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const p = createFashionMnist({
      ...quiet,
      cacheDir: join(tmp, 'cache-offline'),
      baseUrl: `http://127.0.0.1:${port}/`,
    });
    await expect(p).rejects.toThrow(/dataset-fashion-mnist/);
    await expect(p).rejects.toThrow(/ACTPROBE_DATA/);
    await expect(createFashionMnist({ ...quiet, cacheDir: join(tmp, 'c2'), download: false })).rejects.toThrow(
      /download: false.*dataset-fashion-mnist/,
    );
  });

  it('verifies files found on disk on every load: a damaged cached file is a ChecksumError naming it', async () => {
    const dir = join(tmp, 'damaged');
    await mkdir(dir);
    const f = fixture(6, 4);
    for (const k of Object.keys(f) as FashionMnistFile[]) await writeFile(join(dir, FASHION_MNIST_FILES[k].name), f[k]);
    const bad = Uint8Array.from(f['t10k-images']);
    bad[bad.length - 12] ^= 0xff;
    await writeFile(join(dir, FASHION_MNIST_FILES['t10k-images'].name), bad);
    const err = await createFashionMnist({
      ...quiet,
      dataDir: dir,
      download: false,
      cacheDir: join(tmp, 'c4'),
      checksums: checksumsOf(f),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect((err as Error).message).toContain(join(dir, 't10k-images-idx3-ubyte.gz'));
  });

  it('validates labels against the image count, naming both files', async () => {
    const dir = join(tmp, 'mismatch');
    await mkdir(dir);
    const f = { ...fixture(6, 4), 'train-labels': gzipSync(encodeIdx([5], new Uint8Array(5))) };
    for (const k of Object.keys(f) as FashionMnistFile[]) await writeFile(join(dir, FASHION_MNIST_FILES[k].name), f[k]);
    await expect(
      createFashionMnist({
        ...quiet,
        dataDir: dir,
        download: false,
        cacheDir: join(tmp, 'c3'),
        checksums: checksumsOf(f),
      }),
    ).rejects.toThrow(/train-labels-idx1-ubyte\.gz has 5 labels but .*train-images-idx3-ubyte\.gz has 6 images/);
  });
});
