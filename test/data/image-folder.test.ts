import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageFolder } from '../../data/image-folder.js';

let tmp: string;

/** Solid-colour test image written as PNG or JPEG. */
async function writeImage(
  path: string,
  w: number,
  h: number,
  rgb: [number, number, number],
  format: 'png' | 'jpeg',
): Promise<void> {
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) px.set(rgb, i * 3);
  const img = sharp(px, { raw: { width: w, height: h, channels: 3 } });
  await writeFile(path, format === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 100 }).toBuffer());
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'imgfolder-test-'));
  // flat layout: two classes, mixed extensions and case, plus files to ignore
  const flat = join(tmp, 'flat');
  await mkdir(join(flat, 'red'), { recursive: true });
  await mkdir(join(flat, 'blue'), { recursive: true });
  for (let i = 0; i < 5; i++)
    await writeImage(join(flat, 'red', `r${i}.${i % 2 ? 'PNG' : 'png'}`), 12, 8, [255, 0, 0], 'png');
  for (let i = 0; i < 5; i++)
    await writeImage(join(flat, 'blue', `b${i}.${i % 2 ? 'JPG' : 'jpeg'}`), 8, 12, [0, 0, 255], 'jpeg');
  await writeFile(join(flat, 'blue', 'notes.txt'), 'ignored');
  // split layout with val/
  const split = join(tmp, 'split');
  for (const s of ['train', 'val']) for (const c of ['cat', 'dog']) await mkdir(join(split, s, c), { recursive: true });
  await writeImage(join(split, 'train', 'cat', 'a.png'), 10, 10, [200, 200, 200], 'png');
  await writeImage(join(split, 'train', 'dog', 'a.png'), 10, 10, [20, 20, 20], 'png');
  await writeImage(join(split, 'train', 'dog', 'b.png'), 10, 10, [20, 20, 20], 'png');
  await writeImage(join(split, 'val', 'dog', 'c.png'), 10, 10, [20, 20, 20], 'png');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('image-folder', () => {
  it('sorts classes, holds out a deterministic fraction, decodes and resizes', async () => {
    const src = await createImageFolder({ root: join(tmp, 'flat'), height: 6, width: 6, holdout: 0.4, seed: 1 });
    expect(src.info).toMatchObject({ labels: ['blue', 'red'], classes: 2, channels: 3, trainCount: 6, testCount: 4 });
    const again = await createImageFolder({ root: join(tmp, 'flat'), height: 6, width: 6, holdout: 0.4, seed: 1 });
    expect(await again.labels('test')).toEqual(await src.labels('test'));
    const all = Array.from({ length: 4 }, (_, i) => i);
    const b = await src.read('test', all);
    expect(b.images.length).toBe(4 * 6 * 6 * 3);
    for (let n = 0; n < 4; n++) {
      const px = Array.from(b.images.subarray(n * 108, n * 108 + 3));
      // blue class 0 (JPEG, so allow a little loss), red class 1
      const expected = b.labels[n] === 0 ? [0, 0, 1] : [1, 0, 0];
      px.forEach((v, c) => expect(v).toBeCloseTo(expected[c], 1));
    }
  });

  it('uses train/ + val/ when present and converts to one channel', async () => {
    const src = await createImageFolder({ root: join(tmp, 'split'), height: 4, width: 4, channels: 1 });
    expect(src.info).toMatchObject({ labels: ['cat', 'dog'], trainCount: 3, testCount: 1, channels: 1 });
    const b = await src.read('train', [2, 0]);
    expect(Array.from(b.labels)).toEqual([1, 0]);
    expect(b.images.length).toBe(2 * 16);
    expect(b.images[16]).toBeCloseTo(200 / 255, 2);
  });

  it('resizes the shorter side then centre-crops', async () => {
    const dir = join(tmp, 'crop', 'only');
    await mkdir(dir, { recursive: true });
    // 30x10: left and right 10-px thirds white, middle black; a centre crop to 5x5 sees only black
    const px = Buffer.alloc(30 * 10 * 3, 255);
    for (let y = 0; y < 10; y++) px.fill(0, (y * 30 + 10) * 3, (y * 30 + 20) * 3);
    await writeFile(
      join(dir, 'x.png'),
      await sharp(px, { raw: { width: 30, height: 10, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const square = await createImageFolder({ root: join(tmp, 'crop'), height: 5, width: 5, channels: 1, holdout: 0 });
    // 30x10 -> 15x5, centre 5 columns = original columns 10..19, all black
    expect(Math.max(...(await square.read('train', [0])).images)).toBeLessThan(0.1);
    const wide = await createImageFolder({ root: join(tmp, 'crop'), height: 5, width: 10, channels: 1, holdout: 0 });
    const row = Array.from((await wide.read('train', [0])).images.subarray(0, 10));
    // 15x5 -> centre 10 columns: white edges survive, black middle
    expect(row[0]).toBeGreaterThan(0.9);
    expect(row[9]).toBeGreaterThan(0.9);
    expect(Math.max(...row.slice(3, 7))).toBeLessThan(0.1);
  });

  it('names a corrupt file in the error and rejects empty class folders', async () => {
    const root = join(tmp, 'bad');
    await mkdir(join(root, 'x'), { recursive: true });
    await writeFile(join(root, 'x', 'broken.png'), Buffer.from('definitely not a png'));
    await expect(createImageFolder({ root, holdout: 0, concurrency: 2, log: () => undefined })).rejects.toThrow(
      /broken\.png is not a JPEG, PNG or WebP/,
    );
    await mkdir(join(root, 'empty'));
    await expect(createImageFolder({ root })).rejects.toThrow(/empty holds no \.jpg/);
    await expect(createImageFolder({ root: join(tmp, 'missing') })).rejects.toThrow(/missing is not a directory/);
  });
});
