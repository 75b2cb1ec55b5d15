import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, runPaths, updateManifest } from '../../run-folder/run-folder.js';
import { acquireRunLock, processAlive, processStartTicks } from '../../run-folder/run-lock.js';
import { exists } from '../train/cli-helpers.js';
import { tempRunDir } from '../train/run-helpers.js';

describe('manifest.json', () => {
  it('keeps config and stages through a crash-shaped manifest: an unreadable one is an error and stays as it was', async () => {
    const out = await tempRunDir('manifest');
    await updateManifest(out, { config: { miniEpochs: 4 }, stages: { train: 12 } });
    const path = runPaths(out).manifest;
    const good = await readFile(path, 'utf8');
    await writeFile(path, good.slice(0, 40)); // as a disk-full or a foreign editor could leave it
    await expect(readManifest(out)).rejects.toThrow(/manifest\.json is not valid JSON .*left as it is/);
    await expect(updateManifest(out, { status: 'finished' })).rejects.toThrow(/not valid JSON/);
    expect(await readFile(path, 'utf8')).toBe(good.slice(0, 40));
    await writeFile(path, JSON.stringify({ ...JSON.parse(good), stages: { train: 'fast' } }));
    await expect(updateManifest(out, { status: 'finished' })).rejects.toThrow(
      /manifest\.json is malformed:\n {2}stages\.train: /,
    );
  });

  it('is null only when absent, keeps fields other stages added, and merges concurrent updates', async () => {
    const out = await tempRunDir('manifest');
    expect(await readManifest(out)).toBeNull();
    await writeFile(
      runPaths(out).manifest,
      JSON.stringify({ config: { seed: 1 }, reference: { name: 'squeezenet1.1' } }),
    );
    await Promise.all([
      updateManifest(out, { stages: { a: 1 } }),
      updateManifest(out, { stages: { b: 2 } }),
      updateManifest(out, { executionProvider: 'cpu' }),
    ]);
    const m = await readManifest(out);
    expect(m).toMatchObject({
      config: { seed: 1 },
      reference: { name: 'squeezenet1.1' },
      stages: { a: 1, b: 2 },
      executionProvider: 'cpu',
      status: 'running',
    });
  });
});

describe('run.lock: one writer per run folder', () => {
  it('refuses a second writer while the holder lives, naming its PID, and takes over once it is gone', async () => {
    const out = await tempRunDir('lock');
    // A real foreign process as the holder: node sleeping, started and ended by this test.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const exited = new Promise((r) => holder.on('exit', r));
    const pid = holder.pid!;
    await writeFile(
      runPaths(out).lock,
      JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'train' }),
    );
    try {
      await expect(acquireRunLock(out, 'test')).rejects.toThrow(
        new RegExp(`is being written by PID ${pid} \\(train, since 2026-01-01T00:00:00\\.000Z\\).*kill ${pid}`),
      );
      expect(JSON.parse(await readFile(runPaths(out).lock, 'utf8')).pid).toBe(pid);
    } finally {
      holder.kill('SIGKILL');
      await exited;
    }
    expect(processAlive(pid)).toBe(false);
    const lines: string[] = [];
    const lock = await acquireRunLock(out, 'test', (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(new RegExp(`taking over the lock .* from PID ${pid} .*no longer running`));
    expect(JSON.parse(await readFile(runPaths(out).lock, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      command: 'test',
    });
    await expect(acquireRunLock(out, 'again')).rejects.toThrow(new RegExp(`PID ${process.pid}`));
    await lock.release();
    expect(await exists(runPaths(out).lock)).toBe(false);
  });

  it('takes over a lock whose PID now belongs to another process (start time differs)', async () => {
    const out = await tempRunDir('lock');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const exited = new Promise((r) => other.on('exit', r));
    try {
      expect(processStartTicks(other.pid!)).toMatch(/^\d+$/);
      await writeFile(
        runPaths(out).lock,
        JSON.stringify({
          pid: other.pid,
          host: hostname(),
          startedAt: '2026-01-01T00:00:00.000Z',
          command: 'train',
          startTicks: '1',
        }),
      );
      const lines: string[] = [];
      const lock = await acquireRunLock(out, 'test', (l) => lines.push(l));
      expect(lines.join('\n')).toMatch(
        new RegExp(`from PID ${other.pid} .*no longer running \\(its PID now belongs to another process\\)`),
      );
      await lock.release();
    } finally {
      other.kill('SIGKILL');
      await exited;
    }
  });

  it('does not guess about a holder on another host', async () => {
    const out = await tempRunDir('lock');
    await writeFile(
      join(out, 'run.lock'),
      JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 't', command: 'pipeline' }),
    );
    await expect(acquireRunLock(out, 'test')).rejects.toThrow(/locked by PID 1 on host elsewhere .*delete .*run\.lock/);
  });
});
