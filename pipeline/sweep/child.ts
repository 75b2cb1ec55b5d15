/** One variant = one ordinary `npm run pipeline` in a child process: killable on its own, its output in a log file. */
import { spawn, type ChildProcess } from 'node:child_process';
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const PIPELINE_CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
// The tsx loader by file URL, so the child needs no `npx` and no particular working folder.
const TSX_LOADER = import.meta.resolve('tsx');

export interface ChildRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The command line a scheduler task runs for one variant (also what `--plan` writes). */
export function pipelineArgs(config: string, out: string, backend: string, resume: boolean): string[] {
  return ['--config', config, '--out', out, '--backend', backend, ...(resume ? ['--resume'] : [])];
}

export async function startPipeline(args: string[], logPath: string, env: NodeJS.ProcessEnv): Promise<ChildRun> {
  const log = await open(logPath, 'a');
  // Same process group as the sweep: Ctrl-C in the terminal reaches every variant even if the sweep itself
  // cannot pass it on; a `kill` of the sweep alone is passed on by the runner.
  const child = spawn(process.execPath, ['--import', TSX_LOADER, PIPELINE_CLI, ...args], {
    stdio: ['ignore', log.fd, log.fd],
    env,
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => log.close());
  return { child, done };
}
