/**
 * Runs a prepared sweep's unfinished variants, `parallel` at a time, each as its own pipeline process.
 * SIGINT/SIGTERM stop launching, pass the signal to the running variants (each stops like a single run
 * does) and leave them `interrupted`, so `--resume` continues them from their last checkpoint.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pipelineArgs, startPipeline, type ChildRun } from './child.js';
import { runFolderStatus } from './prepare.js';
import { writeSweepState, type SweepState, type VariantRecord } from './state.js';
import { childEnv, settings } from '../../settings/index.js';

export interface RunSweepOptions {
  parallel: number;
  backend: string;
  log: (line: string) => void;
  /** Called after each variant ends (the comparison page is rebuilt there). */
  onVariantDone?: () => Promise<void>;
}

export interface SweepOutcome {
  interrupted: boolean;
  ran: string[];
  skipped: string[];
}

export async function runSweep(dir: string, state: SweepState, opts: RunSweepOptions): Promise<SweepOutcome> {
  const todo = state.variants.filter((v) => v.status !== 'finished' && v.status !== 'failed');
  const skipped = state.variants.filter((v) => !todo.includes(v)).map((v) => v.name);
  for (const name of skipped)
    opts.log(`sweep: ${name} already ${state.variants.find((v) => v.name === name)?.status}; not run again`);
  // One writer of sweep.json, in order: parallel variants finishing together must not interleave writes.
  let writing = Promise.resolve();
  const save = (): Promise<void> => (writing = writing.then(() => writeSweepState(dir, state)));
  await save();

  const running = new Set<ChildRun>();
  let stopping: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = signal;
    opts.log(`sweep: ${signal}: stopping ${running.size} running variant(s); continue later with --resume`);
    for (const r of running) r.child.kill(signal);
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  // Native kernel threads split between the variants that run at once (2 cores, 2 variants → 1 thread each).
  const threads = Math.max(1, Math.floor(availableParallelism() / opts.parallel));
  if (opts.parallel > availableParallelism())
    opts.log(
      `sweep: --parallel ${opts.parallel} on ${availableParallelism()} cores: the variants will share cores and each run slower`,
    );
  const env = childEnv(
    opts.parallel > 1 && settings().nativeThreads === undefined ? { ACTPROBE_NATIVE_THREADS: String(threads) } : {},
    { withSettings: true },
  );
  const ran: string[] = [];
  const queue = [...todo];

  const runOne = async (v: VariantRecord): Promise<void> => {
    const runDir = join(dir, v.folder);
    const resume = (await runFolderStatus(runDir)) !== 'pending';
    const started = performance.now();
    Object.assign(v, {
      status: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: undefined,
      exitCode: undefined,
    });
    await save();
    opts.log(`sweep: ${v.name} ${resume ? 'resuming' : 'starting'} (log ${join(dir, v.log ?? '')})`);
    const r = await startPipeline(
      pipelineArgs(join(dir, v.config), runDir, opts.backend, resume),
      join(dir, v.log ?? `${v.name}.log`),
      env,
    );
    running.add(r);
    v.pid = r.child.pid;
    await save();
    const { code, signal } = await r.done;
    running.delete(r);
    const after = await runFolderStatus(runDir);
    v.status = code === 0 && after === 'finished' ? 'finished' : stopping ? 'interrupted' : 'failed';
    v.exitCode = code;
    v.pid = undefined;
    v.finishedAt = new Date().toISOString();
    v.seconds = (v.seconds && resume ? v.seconds : 0) + (performance.now() - started) / 1000;
    ran.push(v.name);
    opts.log(
      `sweep: ${v.name} ${v.status}${signal ? ` (${signal})` : code ? ` (exit ${code})` : ''} after ${v.seconds.toFixed(0)} s`,
    );
    await save();
    await opts.onVariantDone?.();
  };

  const worker = async (): Promise<void> => {
    for (let v = queue.shift(); v && !stopping; v = queue.shift()) await runOne(v);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, worker));
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await writing;
  }
  return { interrupted: stopping !== null, ran, skipped };
}
