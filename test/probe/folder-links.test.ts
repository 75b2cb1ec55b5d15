/** `--images DIR` follows symbolic links to files and folders, without looping on a link to an ancestor. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImages } from '../../probe/input/folder.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'probe-links-'));
  const png = await sharp(Buffer.alloc(4 * 4 * 3, 50), { raw: { width: 4, height: 4, channels: 3 } })
    .png()
    .toBuffer();
  await mkdir(join(tmp, 'store', 'birds'), { recursive: true });
  await writeFile(join(tmp, 'store', 'a.png'), png);
  await writeFile(join(tmp, 'store', 'birds', 'b.png'), png);
  await mkdir(join(tmp, 'photos', 'own'), { recursive: true });
  await writeFile(join(tmp, 'photos', 'own', 'c.png'), png);
  await symlink(join(tmp, 'store', 'a.png'), join(tmp, 'photos', 'a.png'));
  await symlink(join(tmp, 'store', 'birds'), join(tmp, 'photos', 'birds'));
  await symlink(join(tmp, 'photos'), join(tmp, 'photos', 'own', 'up')); // a loop back to an ancestor
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('--images folders', () => {
  it('lists linked files and linked folders once each, and stops at a loop', async () => {
    const photos = join(tmp, 'photos');
    expect(await listImages(photos)).toEqual([
      join(photos, 'a.png'),
      join(photos, 'birds', 'b.png'),
      join(photos, 'own', 'c.png'),
    ]);
  });

  it('names a link to nothing', async () => {
    await symlink(join(tmp, 'gone.png'), join(tmp, 'photos', 'gone.png'));
    await expect(listImages(join(tmp, 'photos'))).rejects.toThrow(/gone\.png is a symbolic link to nothing/);
  });
});
