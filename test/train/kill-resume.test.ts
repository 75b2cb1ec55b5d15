import { spawn } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCheckpoints, loadCheckpoint } from '../../train/trainer/checkpoint.js';
import { selectBackend } from '../../train/backend/index.js';
import { tempRunDir } from './run-helpers.js';

const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

function startTrain(args: string[]): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>; kill: () => void } {
  const child = spawn(tsx, ['train/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { done, kill: () => child.kill('SIGKILL') };
}

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

describe('train CLI survives SIGKILL', () => {
  it('is killed mid-run, resumes, finishes, and every checkpoint on disk loads', async () => {
    const out = await tempRunDir('kill');
    const config = join(out, '..', `${out.split('/').pop()}-config.json`);
    await writeFile(config, JSON.stringify({
      data: { name: 'synthetic', classes: 4, height: 16, width: 16, channels: 1, trainCount: 512, testCount: 64 },
      model: { preset: 'tiny' },
      schedule: [{ from: 0, lr: 3e-3, batchSize: 32 }],
      miniEpochImages: 512,
      miniEpochs: 6,
    }));
    const first = startTrain(['--config', config, '--out', out, '--backend', 'wasm']);
    const deadline = Date.now() + 60_000;
    while (!(await exists(join(out, 'checkpoints', '2', 'trainer-state.json')))) {
      if (Date.now() > deadline) throw new Error('no checkpoint 2 within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill();
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const beforeResume = await listCheckpoints(out);
    expect(beforeResume.length).toBeLessThan(7);

    const second = startTrain(['--config', config, '--out', out, '--backend', 'wasm', '--resume']);
    const finished = await second.done;
    expect(finished.stderr).toMatch(/resuming from checkpoint \d/);
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
