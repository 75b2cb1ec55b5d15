/**
 * `npm run sweep -- --config BASE.json --vary PATH=V1,V2 … --out DIR [--parallel N] [--resume] [--plan]`
 * Every variant is an ordinary run folder DIR/<name>; DIR/sweep.json records base, axes and statuses;
 * DIR/index.html compares them. The whole spec is validated before anything trains.
 * `npm run sweep` starts this with `node --import tsx`, not the tsx CLI: the tsx CLI relays a signal and, when
 * the process does not acknowledge it within 30 ms (busy rendering a page), SIGKILLs it, which would leave
 * the variants running without the sweep that records them.
 */
import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { backendCandidates } from '../../train/backend/index.js';
import { writeSweepIndex } from '../compare-runs/write.js';
import { ALIASES } from './aliases.js';
import { specFromArgs, specFromState } from './load-spec.js';
import type { SweepSpec } from './spec.js';
import { writePlan } from './plan.js';
import { prepareSweep } from './prepare.js';
import { runSweep } from './runner.js';
import { readSweepState, writeSweepState } from './state.js';
import { expandSweep } from './validate.js';

const positive = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be an integer in 1..64');
  return n;
};

const program = new Command('sweep')
  .description(
    'Run variants of a config side by side: one ordinary run folder per variant, sweep.json, and a comparison page index.html',
  )
  .option(
    '-c, --config <file>',
    'base config JSON, or a sweep file { "base", "axes", "design" } (presets: pipeline/configs/*.sweep.json)',
  )
  .option(
    '--vary <PATH=V1,V2>',
    `an axis: a config path (e.g. model.se.ratio, schedule.1.lr) or alias (${Object.keys(ALIASES).join(', ')}) and its values; repeatable`,
    (v: string, acc: string[]) => [...acc, v],
    [] as string[],
  )
  .requiredOption('-o, --out <dir>', 'sweep folder')
  .option(
    '--one-at-a-time',
    "the baseline (each axis's first value) plus each other value alone, instead of every combination",
  )
  .option('--parallel <n>', 'variants run at once (native kernel threads are split between them)', positive, 1)
  .option(
    '--resume',
    'continue a stopped sweep in --out: finished variants are kept, interrupted ones resume from their last checkpoint',
    false,
  )
  .option('--plan', 'write DIR/plan/ (commands, Kubernetes Indexed Job, Slurm array script) instead of running', false)
  .option(
    '-b, --backend <name>',
    `tfjs backend for every variant: auto or one of ${backendCandidates.join(', ')}`,
    'auto',
  )
  .addHelpText(
    'after',
    `\nAliases:\n${Object.entries(ALIASES)
      .map(
        ([k, a]) =>
          `  ${k.padEnd(10)} ${a.path.padEnd(22)} ${a.describes}${a.values ? ` (${Object.keys(a.values).join(' | ')})` : ''}`,
      )
      .join('\n')}`,
  )
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{
    config?: string;
    vary: string[];
    out: string;
    oneAtATime?: boolean;
    parallel: number;
    resume: boolean;
    plan: boolean;
    backend: string;
  }>();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const design = opts.oneAtATime ? 'one-at-a-time' : undefined;
  let spec: SweepSpec;
  if (opts.config) spec = await specFromArgs(opts.config, opts.vary, design);
  else {
    const stored = opts.resume ? await readSweepState(opts.out) : null;
    if (!stored)
      throw new Error(
        opts.resume
          ? `--resume: ${join(opts.out, 'sweep.json')} not found; give --config to start a sweep`
          : '--config is required (a base config or a sweep file)',
      );
    if (opts.vary.length) throw new Error('--vary needs --config (the stored sweep is resumed as it was recorded)');
    spec = specFromState(stored);
  }
  const variants = expandSweep(spec);
  log(`sweep: ${variants.length} variant(s): ${variants.map((v) => v.name).join('; ')}`);
  const state = await prepareSweep(opts.out, spec, variants, opts.resume);
  if (opts.plan) {
    const files = await writePlan(opts.out, state, opts.backend);
    await writeSweepState(opts.out, state);
    console.log(files.join('\n'));
    return;
  }
  const outcome = await runSweep(opts.out, state, {
    parallel: opts.parallel,
    backend: opts.backend,
    log,
    onVariantDone: async () =>
      void (await writeSweepIndex(opts.out).catch((e: Error) => log(`sweep: index.html not written: ${e.message}`))),
  });
  const index = await writeSweepIndex(opts.out);
  const width = Math.max(...state.variants.map((v) => v.name.length));
  console.log(
    [
      '',
      `${'variant'.padEnd(width)}  status       seconds`,
      ...state.variants.map(
        (v) =>
          `${v.name.padEnd(width)}  ${v.status.padEnd(11)}  ${v.seconds === undefined ? '—' : v.seconds.toFixed(0).padStart(7)}`,
      ),
      '',
      `comparison         ${index}`,
      `sweep folder       ${opts.out}`,
    ].join('\n'),
  );
  if (outcome.interrupted) process.exit(130);
}

main().catch((e: unknown) => {
  console.error(`sweep: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
