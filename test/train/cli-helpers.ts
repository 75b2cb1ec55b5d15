import { spawn } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { childEnv } from '../../settings/index.js';

const root = new URL('../../', import.meta.url).pathname;

export interface CliRun {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  signal: (s: NodeJS.Signals) => void;
  output: () => string;
}

/**
 * Starts a CLI (e.g. 'train/cli.ts') as ONE node process with tsx's loader, not through the tsx binary: the
 * binary is a parent that spawns the script as a child, so a SIGKILL sent to it leaves the real trainer
 * running on as an orphan (which is how a killed wrapper leaves two writers in one run folder).
 */
export function startCli(script: string, args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(env, { withSettings: true }),
  });
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { pid: child.pid ?? -1, done, signal: (s) => void child.kill(s), output: () => output };
}

export const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

/** Polls until `path` exists (or throws after `ms`). */
export async function waitForFile(path: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await exists(path))) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes `${dir}-config.json`: a seconds-long train config (tiny net, 16×16 synthetic data), overridable at the top level. */
export async function writeQuickConfig(dir: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const path = `${dir}-config.json`;
  await writeFile(
    path,
    JSON.stringify({
      data: { name: 'synthetic', classes: 4, height: 16, width: 16, channels: 1, trainCount: 512, testCount: 64 },
      model: { preset: 'tiny' },
      schedule: [{ from: 0, lr: 3e-3, batchSize: 32 }],
      miniEpochImages: 1024,
      miniEpochs: 3,
      ...overrides,
    }),
  );
  return path;
}
