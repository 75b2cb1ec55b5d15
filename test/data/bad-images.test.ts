/** Damaged image files are found before training, listed, and refused or skipped per data.onBadImage. */
import { rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFileProblem } from '../../data/image-check.js';
import { createImageFolder, decodeImage } from '../../data/image-folder.js';
import { parseDataSpec } from '../../data/registry.js';
import { picture, writeJpegFolder } from './jpeg-folder.js';

let root: string;
const quiet = { cacheDir: null, log: () => undefined } as const;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bad-images-'));
  await writeJpegFolder(root, 3, 4, 40, 30);
  // Large enough that 60% of it ends inside the entropy-coded data, past a whole header.
  const good = await sharp(picture(400, 300, 0, 1), { raw: { width: 400, height: 300, channels: 3 } })
    .jpeg()
    .toBuffer();
  await writeFile(join(root, 'c0', 'cut.jpg'), good.subarray(0, Math.floor(good.length * 0.6))); // killed copy
  const png = await sharp(Buffer.alloc(20 * 20 * 3, 9), { raw: { width: 20, height: 20, channels: 3 } })
    .png()
    .toBuffer();
  await writeFile(join(root, 'c1', 'cut.png'), png.subarray(0, png.length - 20));
  await writeFile(join(root, 'c2', 'notes.jpg'), 'not an image at all');
  await writeFile(join(root, 'c2', 'empty.png'), '');
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('bad image files', () => {
  it('the truncated JPEG has a readable header but fails when decoded (what used to surface hours in)', async () => {
    const path = join(root, 'c0', 'cut.jpg');
    expect((await sharp(path).metadata()).width).toBe(400);
    await expect(decodeImage(path, 8, 8, 3)).rejects.toThrow(/cut\.jpg/);
    expect(await imageFileProblem(path)).toMatch(/truncated JPEG/);
    expect(await imageFileProblem(join(root, 'c0', '0001.jpg'))).toBeNull();
  });

  it('onBadImage "error" (the default) refuses the folder before any read, listing every bad file and why', async () => {
    const err = await createImageFolder({ root, height: 8, width: 8, ...quiet }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    const lines = (err as Error).message.split('\n');
    expect(lines[0]).toBe('image-folder: 4 image file(s) are damaged or not images:');
    expect(lines.slice(1, 5)).toEqual([
      `  ${join(root, 'c0', 'cut.jpg')} is a truncated JPEG (no end-of-image marker)`,
      `  ${join(root, 'c1', 'cut.png')} is a truncated PNG (no IEND chunk at the end)`,
      `  ${join(root, 'c2', 'empty.png')} is empty`,
      `  ${join(root, 'c2', 'notes.jpg')} is not a JPEG, PNG or WebP (first bytes 6e6f7420616e2069)`,
    ]);
    expect(lines.at(-1)).toMatch(/"onBadImage": "skip"/);
  });

  it('onBadImage "skip" trains on the good files only, and says which were left out', async () => {
    const logged: string[] = [];
    const src = await createImageFolder({
      root,
      height: 8,
      width: 8,
      holdout: 0,
      onBadImage: 'skip',
      cacheDir: null,
      log: (l) => logged.push(l),
    });
    expect(src.info.classCounts?.train).toEqual([4, 4, 4]);
    const batch = await src.read(
      'train',
      Array.from({ length: 12 }, (_, i) => i),
    );
    expect(batch.count).toBe(12);
    expect(logged.join('\n')).toMatch(/skipping 4 damaged image file\(s\)[\s\S]*cut\.jpg/);
  });

  it('data.onBadImage is part of the strict data schema', () => {
    expect(parseDataSpec({ name: 'image-folder', root })).toMatchObject({ onBadImage: 'error' });
    expect(parseDataSpec({ name: 'image-folder', root, onBadImage: 'skip' })).toMatchObject({ onBadImage: 'skip' });
    expect(() => parseDataSpec({ name: 'image-folder', root, onBadImage: 'ignore' })).toThrow(/onBadImage/);
  });
});
