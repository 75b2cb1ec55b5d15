/** The pipeline falls back to synthetic data only when Fashion-MNIST is absent, never when a file is damaged. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAvailableData } from '../../pipeline/data-fallback.js';
import { createFashionMnist, DatasetNotFoundError, FASHION_MNIST_FILES, encodeIdx } from '../../data/index.js';
import { ChecksumError } from '../../data/download.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fmnist-damaged-'));
  // Well-formed IDX files, but not the published ones: every MD5 differs from the official list.
  const images = gzipSync(encodeIdx([4, 28, 28], new Uint8Array(4 * 784)));
  const labels = gzipSync(encodeIdx([4], Uint8Array.from([0, 1, 2, 3])));
  for (const [key, { name }] of Object.entries(FASHION_MNIST_FILES))
    await writeFile(join(dir, name), key.endsWith('images') ? images : labels);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('Fashion-MNIST availability', () => {
  it('a checksum mismatch is an error naming the file, not a switch to synthetic data', async () => {
    const warnings: string[] = [];
    const config = { data: { name: 'fashion-mnist' as const, dir, download: false } };
    const err = await withAvailableData(config, (l) => warnings.push(l)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect((err as Error).message).toMatch(
      /Checksum mismatch for .*train-images-idx3-ubyte\.gz: MD5 of its IDX bytes [0-9a-f]{32}, expected f4a8712d/,
    );
    expect(warnings).toEqual([]);
  });

  it('absent files are a DatasetNotFoundError (the one case the pipeline may fall back from)', async () => {
    const empty = join(dir, 'nothing-here');
    const err = await createFashionMnist({
      dataDir: empty,
      cacheDir: empty,
      systemDir: null,
      env: {},
      download: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect((err as Error).message).toMatch(/Fashion-MNIST not found/);
  });
});
