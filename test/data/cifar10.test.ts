import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCifar10 } from '../../data/cifar10.js';

const RECORD = 3073;
let tmp: string;

/** Record r: label r % 10; channel c plane holds (r + c * 50 + p) % 256 at pixel p. */
function batchFile(first: number, n: number): Uint8Array {
  const out = new Uint8Array(n * RECORD);
  for (let i = 0; i < n; i++) {
    const r = first + i;
    out[i * RECORD] = r % 10;
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < 1024; p++) out[i * RECORD + 1 + c * 1024 + p] = (r + c * 50 + p) % 256;
  }
  return out;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cifar-test-'));
  const dir = join(tmp, 'cifar-10-batches-bin');
  await mkdir(dir);
  await writeFile(join(dir, 'data_batch_1.bin'), batchFile(0, 3));
  await writeFile(join(dir, 'data_batch_2.bin'), batchFile(3, 2));
  await writeFile(join(dir, 'test_batch.bin'), batchFile(100, 2));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('cifar10', () => {
  it('reads batches in order and converts CHW records to NHWC', async () => {
    const src = await createCifar10({ dir: tmp });
    expect(src.info).toMatchObject({ height: 32, width: 32, channels: 3, classes: 10, trainCount: 5, testCount: 2 });
    expect(src.info.labels[0]).toBe('airplane');
    const b = await src.read('train', [4, 1]);
    expect(Array.from(b.labels)).toEqual([4, 1]);
    // example 0 of the batch is record 4: pixel p=33 (row 1, col 1), channel 2 -> (4 + 100 + 33) % 256
    expect(b.images[33 * 3 + 2]).toBeCloseTo(137 / 255, 6);
    expect(b.images[3072 + 0 * 3 + 1]).toBeCloseTo(51 / 255, 6);
    const t = await src.read('test', [1]);
    expect(t.labels[0]).toBe(1);
    expect(t.images[5 * 3]).toBeCloseTo(106 / 255, 6);
  });

  it('honours limits and validates files, naming them', async () => {
    const src = await createCifar10({ dir: join(tmp, 'cifar-10-batches-bin'), limitTrain: 4, limitTest: 1 });
    expect(src.info).toMatchObject({ trainCount: 4, testCount: 1 });
    expect(Array.from(await src.labels('train'))).toEqual([0, 1, 2, 3]);
    const bad = join(tmp, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'data_batch_1.bin'), batchFile(0, 1).subarray(0, 3000));
    await writeFile(join(bad, 'test_batch.bin'), batchFile(0, 1));
    await expect(createCifar10({ dir: bad })).rejects.toThrow(/data_batch_1\.bin is 3000 bytes/);
    await expect(createCifar10({ dir: join(tmp, 'none') })).rejects.toThrow(/data_batch_1\.bin not found/);
  });
});
