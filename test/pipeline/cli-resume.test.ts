import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../pipeline/config.js';
import { updateManifest } from '../../run-folder/run-folder.js';
import { startCli } from '../train/cli-helpers.js';
import { tempRunDir } from '../train/run-helpers.js';

const small = {
  data: { name: 'synthetic', classes: 4, height: 16, width: 16, channels: 1, trainCount: 256, testCount: 64 },
  model: { preset: 'tiny' },
  miniEpochImages: 64,
  miniEpochs: 2,
  reference: null,
};

describe('pipeline CLI --resume', () => {
  it('leaves a finished run alone, and refuses a differing --config without --allow-config-change, writing nothing', async () => {
    const out = await tempRunDir('pipe-resume');
    await updateManifest(out, { config: parsePipelineConfig(small, 'small'), status: 'finished', testAccuracy: 0.75 });
    for (const m of [0, 1, 2]) {
      await mkdir(join(out, 'checkpoints', String(m)), { recursive: true });
      await writeFile(join(out, 'checkpoints', String(m), 'trainer-state.json'), '{}');
    }
    await writeFile(join(out, 'report.html'), '<!doctype html>');
    const manifest = await readFile(join(out, 'manifest.json'), 'utf8');

    const finished = await startCli('pipeline/cli.ts', ['--out', out, '--resume']).done;
    expect(finished.output).toMatch(
      /is a finished run \(2 mini-epochs, test accuracy 0\.7500; report .*report\.html\): nothing to do/,
    );
    expect(finished.code).toBe(0);

    const other = `${out}-other.json`;
    await writeFile(other, JSON.stringify({ ...small, miniEpochs: 5, probe: { images: 32 } }));
    const refused = await startCli('pipeline/cli.ts', ['--out', out, '--resume', '--config', other]).done;
    expect(refused.output).toMatch(
      /differs from the config .* was started with:\n {2}miniEpochs: run has 2, --config has 5\n {2}probe\.images: run has 256, --config has 32\n/,
    );
    expect(refused.code).toBe(1);
    expect(await readFile(join(out, 'manifest.json'), 'utf8')).toBe(manifest);
  });
});
