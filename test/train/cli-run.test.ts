import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCheckpoints } from '../../train/trainer/checkpoint.js';
import { processAlive } from '../../run-folder/run-lock.js';
import { exists, startCli, waitForFile, writeQuickConfig as writeConfig } from './cli-helpers.js';
import { tempRunDir } from './run-helpers.js';

const root = new URL('../../', import.meta.url).pathname;

const manifestOf = async (out: string) =>
  JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown> & {
    status: string;
    config: { data: { height: number } };
  };

describe('train CLI: interrupt, resume from the manifest, finished runs', () => {
  it("SIGINT stops after the step with the manifest interrupted; --resume without --config continues with the run's config; a finished run is left alone", async () => {
    const out = await tempRunDir('sigint');
    const config = await writeConfig(out);
    const first = startCli('train/cli.ts', ['--config', config, '--out', out, '--backend', 'wasm']);
    await waitForFile(join(out, 'checkpoints', '1', 'trainer-state.json'));
    first.signal('SIGINT');
    const stopped = await first.done;
    expect(stopped.output).toMatch(/SIGINT: finishing the current step, then stopping/);
    expect(stopped.output).toMatch(/training interrupted after .*--resume continues from checkpoint [12]/);
    expect(stopped.code).toBe(130);
    expect((await manifestOf(out)).status).toBe('interrupted');
    expect(await exists(join(out, 'run.lock'))).toBe(false);

    // No --config: the defaults would be 28×28 synthetic data, 5 × 20000 images; the run's own config is 16×16, 3 × 1024.
    const resumed = await startCli('train/cli.ts', ['--out', out, '--backend', 'wasm', '--resume']).done;
    expect(resumed.output).toMatch(/resuming from checkpoint [12]/);
    expect(resumed.output).toMatch(/after 3 mini-epochs/);
    expect(resumed.code).toBe(0);
    expect(await listCheckpoints(out)).toEqual([0, 1, 2, 3]);
    const manifest = await manifestOf(out);
    expect(manifest.status).toBe('finished');
    expect(manifest.config.data.height).toBe(16);

    const before = await readFile(join(out, 'manifest.json'), 'utf8');
    const again = await startCli('train/cli.ts', ['--out', out, '--resume']).done;
    expect(again.output).toMatch(/is a finished run \(3 mini-epochs, test accuracy [\d.]+\): nothing to do/);
    expect(again.code).toBe(0);
    expect(await readFile(join(out, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('a trainer orphaned by killing its tsx wrapper keeps the folder: a second --resume is refused with its PID', async () => {
    const out = await tempRunDir('orphan');
    const config = await writeConfig(out, { miniEpochs: 50 });
    // Through the tsx binary, as `npm run train` does: a wrapper process with the trainer as its child.
    const wrapper = spawn(
      join(root, 'node_modules/.bin/tsx'),
      ['train/cli.ts', '--config', config, '--out', out, '--backend', 'wasm'],
      { cwd: root, stdio: 'ignore' },
    );
    const wrapperExit = new Promise((r) => wrapper.on('exit', r));
    await waitForFile(join(out, 'checkpoints', '0', 'trainer-state.json'));
    wrapper.kill('SIGKILL');
    await wrapperExit;
    const trainer = (JSON.parse(await readFile(join(out, 'run.lock'), 'utf8')) as { pid: number }).pid;
    try {
      expect(trainer).not.toBe(wrapper.pid);
      expect(processAlive(trainer)).toBe(true);
      const second = await startCli('train/cli.ts', ['--out', out, '--backend', 'wasm', '--resume']).done;
      expect(second.code).toBe(1);
      expect(second.output).toMatch(
        new RegExp(
          `is being written by PID ${trainer} \\(train, since .*\\): one writer per run folder\\. Stop that process \\(kill ${trainer}\\)`,
        ),
      );
    } finally {
      process.kill(trainer, 'SIGKILL'); // the orphan this test made
    }
    const deadline = Date.now() + 10_000;
    while (processAlive(trainer) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(processAlive(trainer)).toBe(false);
  });
});
