import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../train/config.js';
import type { TrainConfig } from '../../train/config.js';
import { readManifest, updateManifest } from '../../run-folder/run-folder.js';
import { startRun } from '../../train/run-start.js';
import type { StartRequest } from '../../train/run-start.js';
import { exists } from './cli-helpers.js';
import { quickConfig, tempRunDir } from './run-helpers.js';

/** A run folder as training leaves it: manifest with the config, checkpoints 0..n (trainer-state.json marks them complete). */
async function fakeRun(
  config: TrainConfig,
  checkpoints: number,
  status: 'running' | 'finished' | 'interrupted',
): Promise<string> {
  const out = await tempRunDir('start');
  await updateManifest(out, { config, status, testAccuracy: 0.5 });
  for (let m = 0; m <= checkpoints; m++) {
    await mkdir(join(out, 'checkpoints', String(m)), { recursive: true });
    await writeFile(join(out, 'checkpoints', String(m), 'trainer-state.json'), '{}');
  }
  return out;
}

const request = (out: string, over: Partial<StartRequest<TrainConfig>> = {}): StartRequest<TrainConfig> => ({
  out,
  resume: true,
  given: undefined,
  defaults: async () => parseTrainConfig({}),
  parseRecorded: (raw, source) => parseTrainConfig(raw, source),
  allowConfigChange: false,
  command: 'test',
  ...over,
});

const snapshot = async (dir: string): Promise<string> =>
  JSON.stringify([await readdir(dir), await readFile(join(dir, 'manifest.json'), 'utf8')]);

describe('starting or resuming a run', () => {
  it('resumes with the config recorded in the manifest, not the defaults', async () => {
    const recorded = quickConfig({ miniEpochs: 4, miniEpochImages: 96 });
    const out = await fakeRun(recorded, 2, 'interrupted');
    const start = await startRun(request(out));
    try {
      expect(start.config).toEqual(recorded);
      expect(start.config.data).toMatchObject({ name: 'synthetic', classes: 4, trainCount: 512 });
      expect(start).toMatchObject({ resumed: true, finished: false, lastCheckpoint: 2 });
    } finally {
      await start.lock.release();
    }
  });

  it("refuses a --config that differs from the run's, listing the fields, and writes nothing", async () => {
    const out = await fakeRun(quickConfig({ miniEpochs: 4 }), 2, 'interrupted');
    const before = await snapshot(out);
    const given = {
      config: quickConfig({ miniEpochs: 6, model: { preset: 'tiny', width: 0.5 } }),
      source: 'other.json',
    };
    await expect(startRun(request(out, { given }))).rejects.toThrow(
      /--config other\.json differs from the config .* was started with:\n {2}model\.width: run has 1, --config has 0\.5\n {2}miniEpochs: run has 4, --config has 6\n.*--allow-config-change/,
    );
    expect(await snapshot(out)).toBe(before);
  });

  it('with --allow-config-change continues with the given config and records the change in the manifest', async () => {
    const out = await fakeRun(quickConfig({ miniEpochs: 4 }), 4, 'finished');
    const given = { config: quickConfig({ miniEpochs: 6 }), source: 'longer.json' };
    const start = await startRun(request(out, { given, allowConfigChange: true }));
    await start.lock.release();
    expect(start).toMatchObject({ resumed: true, finished: false, lastCheckpoint: 4 });
    expect(start.config.miniEpochs).toBe(6);
    const manifest = await readManifest(out);
    expect((manifest?.config as TrainConfig | undefined)?.miniEpochs).toBe(6);
    expect(manifest?.configChanges).toEqual([
      { at: expect.any(String), fromCheckpoint: 4, fields: [{ path: 'miniEpochs', recorded: 4, given: 6 }] },
    ]);
  });

  it('says a finished run is finished and changes nothing', async () => {
    const out = await fakeRun(quickConfig({ miniEpochs: 3 }), 3, 'finished');
    const before = await snapshot(out);
    const start = await startRun(request(out));
    await start.lock.release();
    expect(start.finished).toBe(true);
    expect(await snapshot(out)).toBe(before);
  });

  it('refuses --resume on a missing folder or a folder without a manifest, and --out naming a file', async () => {
    const dir = await tempRunDir('start');
    await expect(startRun(request(join(dir, 'nope')))).rejects.toThrow(
      /--resume: .*nope does not exist, so there is no run to resume/,
    );
    expect(await exists(join(dir, 'nope'))).toBe(false);
    await expect(startRun(request(dir))).rejects.toThrow(/holds no manifest\.json, so it is not a run folder/);
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    await expect(startRun(request(file, { resume: false }))).rejects.toThrow(
      /--out .*a-file is a file, not a run folder/,
    );
    expect(await readFile(file, 'utf8')).toBe('x');
  });

  it('refuses a new run into a folder that holds one, before writing anything (manifest and lock untouched)', async () => {
    const out = await fakeRun(quickConfig(), 1, 'interrupted');
    const before = await snapshot(out);
    await expect(
      startRun(request(out, { resume: false, given: { config: quickConfig(), source: 'c.json' } })),
    ).rejects.toThrow(/already holds a run \(checkpoints 0, 1\): pass --resume/);
    expect(await snapshot(out)).toBe(before);
  });
});
