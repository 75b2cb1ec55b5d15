/**
 * `npm run prepare-data` decodes an image folder once; training then reads the same pixels from the cache,
 * automatically, while the folder is unchanged, and never from a cache that is stale or cut short.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageFolder } from '../../data/image-folder.js';
import { prepareDecodedCache } from '../../data/prepare-data.js';
import { writeJpegFolder } from './jpeg-folder.js';

let tmp: string;
let root: string;
let cacheDir: string;
const size = { height: 12, width: 16, channels: 3 as const };

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'decoded-cache-'));
  root = join(tmp, 'set');
  cacheDir = join(tmp, 'cache');
  await writeJpegFolder(root, 3, 10, 48, 40);
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

const everything = (n: number): number[] => Array.from({ length: n }, (_, i) => n - 1 - i);

describe('decoded cache', () => {
  it('prepare-data writes it once; reads from it equal decoding the JPEGs, bit for bit', async () => {
    const made = await prepareDecodedCache({ root, ...size, cacheDir, log: () => undefined });
    expect(made).toMatchObject({ images: 30, bad: 0, written: true });
    expect(made.bytes).toBe(4096 + 30 * 12 * 16 * 3);
    expect((await prepareDecodedCache({ root, ...size, cacheDir, log: () => undefined })).written).toBe(false);

    const logged: string[] = [];
    const cached = await createImageFolder({
      root,
      ...size,
      holdout: 0.2,
      seed: 3,
      cacheDir,
      log: (l) => logged.push(l),
    });
    expect(logged[0]).toBe(`image-folder: reading decoded cache ${made.path} (12×16×3)`);
    const decoded = await createImageFolder({
      root,
      ...size,
      holdout: 0.2,
      seed: 3,
      cacheDir: null,
      log: () => undefined,
    });
    for (const split of ['train', 'test'] as const) {
      const ix = everything(split === 'train' ? cached.info.trainCount : cached.info.testCount);
      const [a, b] = await Promise.all([cached.read(split, ix), decoded.read(split, ix)]);
      expect(a.labels).toEqual(b.labels);
      expect(a.images).toEqual(b.images);
    }
    await cached.close?.();
  });

  it('is not used once a file changes, or when it was cut short; the log says why', async () => {
    const logged: string[] = [];
    const { path } = await prepareDecodedCache({ root, ...size, cacheDir, log: () => undefined });
    await utimes(join(root, 'c1', '0003.jpg'), new Date(), new Date(2001, 1, 1));
    await createImageFolder({ root, ...size, cacheDir, log: (l) => logged.push(l) });
    expect(logged[0]).toMatch(/decoding images on every pass \(no decoded cache .*npm run prepare-data/);

    const again = await prepareDecodedCache({ root, ...size, cacheDir, log: () => undefined });
    expect(again.path).not.toBe(path);
    await truncate(again.path, again.bytes - 100);
    logged.length = 0;
    await createImageFolder({ root, ...size, cacheDir, log: (l) => logged.push(l) });
    expect(logged[0]).toMatch(
      /is not used: it holds \d+ bytes, \d+ expected \(cut short\?\); run `npm run prepare-data` again/,
    );
  });

  it('`npm run prepare-data -- --config FILE --cache DIR` says what it wrote', async () => {
    const config = join(tmp, 'config.json');
    const fresh = join(tmp, 'cli-cache');
    await writeFile(
      config,
      JSON.stringify({ data: { name: 'image-folder', root, height: 8, width: 8, channels: 1 }, miniEpochs: 1 }),
    );
    const { stdout } = await promisify(execFile)(resolve('node_modules/.bin/tsx'), [
      'train/prepare-data-cli.ts',
      '--config',
      config,
      '--cache',
      fresh,
    ]);
    expect(stdout).toMatch(
      /^prepare-data: wrote .*image-folder-8x8x1-[0-9a-f]{24}\.u8: 30 images at 8×8×1, 0\.0 MB, [\d.]+ s \(\d+ img\/s\)\n$/,
    );
    expect((await readdir(fresh)).filter((f) => f.endsWith('.u8'))).toHaveLength(1);
  }, 30_000);
});
