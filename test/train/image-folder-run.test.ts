/**
 * Training from a symlinked image folder, end to end through runTraining: every class is trained on, and the
 * class list with per-class counts is printed before the first mini-epoch.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../train/trainer/run-training.js';
import { writeJpegFolder } from '../data/jpeg-folder.js';
import { quickConfig, tempRunDir } from './run-helpers.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'imgfolder-run-'));
  await writeJpegFolder(join(tmp, 'store'), 4, 6, 24, 24);
  // Two classes as real folders, two as links to folders elsewhere (how ImageNet subsets are built).
  await mkdir(join(tmp, 'set'));
  for (const c of ['c0', 'c1']) await symlink(join(tmp, 'store', c), join(tmp, 'set', c));
  for (const c of ['c2', 'c3']) {
    await mkdir(join(tmp, 'set', c));
    for (let n = 0; n < 6; n++)
      await symlink(join(tmp, 'store', c, `${String(n).padStart(4, '0')}.jpg`), join(tmp, 'set', c, `${n}.jpg`));
  }
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('training from an image folder', () => {
  it('trains on all 4 symlinked classes and prints them with their counts first', async () => {
    const out = await tempRunDir('imgfolder-run');
    const lines: string[] = [];
    const config = quickConfig({
      data: { name: 'image-folder', root: join(tmp, 'set'), height: 8, width: 8, channels: 3, holdout: 0.34 },
      miniEpochImages: 16,
      miniEpochs: 1,
      schedule: [{ from: 0, lr: 1e-3, batchSize: 8 }],
      watchImages: 2,
    });
    const result = await runTraining(config, { out, log: (l) => lines.push(l) });
    expect(result.data.info.classes).toBe(4);
    const at = lines.indexOf('4 classes (train / test images):');
    expect(at).toBeGreaterThan(-1);
    expect(lines.slice(at + 1, at + 5).map((l) => l.trim())).toEqual([
      '0 c0  4 / 2',
      '1 c1  4 / 2',
      '2 c2  4 / 2',
      '3 c3  4 / 2',
    ]);
    expect(lines.findIndex((l) => l.startsWith('mini-epoch 1/1'))).toBeGreaterThan(at);
    await rm(out, { recursive: true, force: true });
  }, 60_000);
});
