import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCheckpoints, loadCheckpoint } from '../../train/trainer/checkpoint.js';
import { selectBackend } from '../../train/backend/index.js';
import { startCli, waitForFile, writeQuickConfig } from './cli-helpers.js';
import { tempRunDir } from './run-helpers.js';

const startTrain = (args: string[]) => startCli('train/cli.ts', args);

describe('train CLI survives SIGKILL', () => {
  it('is killed mid-run, resumes, finishes, and every checkpoint on disk loads', async () => {
    const out = await tempRunDir('kill');
    const config = await writeQuickConfig(out, { miniEpochImages: 512, miniEpochs: 6 });
    const first = startTrain(['--config', config, '--out', out, '--backend', 'wasm']);
    await waitForFile(join(out, 'checkpoints', '2', 'trainer-state.json'));
    first.signal('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const beforeResume = await listCheckpoints(out);
    expect(beforeResume.length).toBeLessThan(7);

    const second = startTrain(['--config', config, '--out', out, '--backend', 'wasm', '--resume']);
    const finished = await second.done;
    // The killed trainer left its lock behind; the resume takes it over because that PID is gone.
    expect(finished.output).toMatch(new RegExp(`taking over the lock .* from PID ${first.pid} .*no longer running`));
    expect(finished.output).toMatch(/resuming from checkpoint \d/);
    expect(finished.code).toBe(0);
    expect(await listCheckpoints(out)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await selectBackend('wasm');
    for (const m of await listCheckpoints(out)) {
      const ck = await loadCheckpoint(out, m);
      expect(ck.state.miniEpoch).toBe(m);
      expect(ck.model.getWeights().length).toBeGreaterThan(0);
      ck.model.dispose();
    }
  });
});
