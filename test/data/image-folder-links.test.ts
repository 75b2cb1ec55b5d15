/** Image folders built from symbolic links (how ImageNet subsets are usually made) train on every class. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeClasses } from '../../data/class-counts.js';
import { createImageFolder } from '../../data/image-folder.js';

let tmp: string;
const png = (v: number) =>
  sharp(Buffer.alloc(8 * 8 * 3, v), { raw: { width: 8, height: 8, channels: 3 } })
    .png()
    .toBuffer();

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'imgfolder-links-'));
  // The real images live elsewhere; the data set is links: 4 classes, 9 + 8 + 8 + 8 = 33 images.
  const store = join(tmp, 'store');
  for (const c of ['a', 'b', 'c', 'd']) await mkdir(join(store, c), { recursive: true });
  for (let i = 0; i < 9; i++) await writeFile(join(store, 'a', `${i}.png`), await png(10));
  for (const [k, c] of ['b', 'c', 'd'].entries())
    for (let i = 0; i < 8; i++) await writeFile(join(store, c, `${i}.png`), await png(60 * (k + 1)));
  const root = join(tmp, 'subset');
  await mkdir(join(root, 'a'), { recursive: true });
  await mkdir(join(root, 'b'), { recursive: true });
  for (let i = 0; i < 9; i++) await symlink(join(store, 'a', `${i}.png`), join(root, 'a', `${i}.png`)); // linked files
  for (let i = 0; i < 8; i++) await writeFile(join(root, 'b', `${i}.png`), await png(60)); // plain files
  await symlink(join(store, 'c'), join(root, 'c')); // linked class folders
  await symlink(join(store, 'd'), join(root, 'd'));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('image-folder with symbolic links', () => {
  it('follows linked files and linked class folders: 4 classes, 33 images', async () => {
    const src = await createImageFolder({ root: join(tmp, 'subset'), height: 4, width: 4, holdout: 0 });
    expect(src.info.labels).toEqual(['a', 'b', 'c', 'd']);
    expect(src.info.trainCount).toBe(33);
    expect(src.info.classCounts).toEqual({ train: [9, 8, 8, 8], test: [0, 0, 0, 0] });
    const labels = Array.from(await src.labels('train'));
    const batch = await src.read(
      'train',
      labels.map((_, i) => i),
    );
    // Every class decodes to its own grey level through the link (a: 10, b: 60, c: 120, d: 180).
    const grey = [10, 60, 120, 180];
    labels.forEach((label, i) => expect(batch.images[i * 48] * 255).toBeCloseTo(grey[label], 0));
  });

  it('prints the class list with per-class counts', async () => {
    const src = await createImageFolder({ root: join(tmp, 'subset'), height: 4, width: 4, holdout: 0.25 });
    const lines = describeClasses(src.info);
    expect(lines[0]).toBe('4 classes (train / test images):');
    expect(lines.slice(1).map((l) => l.trim())).toEqual(['0 a  7 / 2', '1 b  6 / 2', '2 c  6 / 2', '3 d  6 / 2']);
  });

  it('refuses a link loop, a link to nothing, two classes that are one folder, and a class with no images', async () => {
    const mk = async (name: string): Promise<string> => {
      const root = join(tmp, name);
      await mkdir(join(root, 'ok'), { recursive: true });
      await writeFile(join(root, 'ok', 'x.png'), await png(1));
      return root;
    };
    const loop = await mk('loop');
    await symlink(loop, join(loop, 'self'));
    await expect(createImageFolder({ root: loop })).rejects.toThrow(/class folder .*self links back to .*link loop/);
    const dangling = await mk('dangling');
    await symlink(join(tmp, 'nowhere'), join(dangling, 'gone'));
    await expect(createImageFolder({ root: dangling })).rejects.toThrow(/gone is a symbolic link to nothing/);
    const danglingFile = await mk('dangling-file');
    await symlink(join(tmp, 'nowhere.png'), join(danglingFile, 'ok', 'y.png'));
    await expect(createImageFolder({ root: danglingFile })).rejects.toThrow(/y\.png is a symbolic link to nothing/);
    const twins = await mk('twins');
    await symlink(join(twins, 'ok'), join(twins, 'ok2'));
    await expect(createImageFolder({ root: twins })).rejects.toThrow(/ok and .*ok2 are the same folder/);
    const empty = await mk('empty');
    await mkdir(join(empty, 'nothing'));
    await expect(createImageFolder({ root: empty })).rejects.toThrow(/nothing holds no \.jpg/);
  });
});
