/**
 * `npm run compare-runs -- RUN_A RUN_B … [--out FILE] [--layers L1,L2]`: the comparison page for any run
 * folders; `npm run compare-runs -- SWEEP_DIR` rebuilds SWEEP_DIR/index.html (e.g. after a scheduler ran
 * the variants of a `--plan`).
 */
import { Command } from 'commander';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderRunsComparison, writeSweepIndex } from './write.js';

const program = new Command('compare-runs')
  .description(
    "Build one comparison page (table + overlaid loss, accuracy, activation std/p99 curves) for run folders, or rebuild a sweep folder's index.html",
  )
  .argument('<folders...>', 'run folders (each with manifest.json), or one sweep folder (with sweep.json)')
  .option('-o, --out <file>', 'page to write for run folders', 'comparison.html')
  .option(
    '--layers <names>',
    'comma-separated layers whose activation std/p99 to plot (default: up to 4 convs/FCs spread over the depth)',
  )
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const folders = program.args;
  const opts = program.opts<{ out: string; layers?: string }>();
  const layers = opts.layers
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of folders) {
    const isSweep = await access(join(f, 'sweep.json')).then(
      () => true,
      () => false,
    );
    const isRun = await access(join(f, 'manifest.json')).then(
      () => true,
      () => false,
    );
    if (isSweep && folders.length === 1) {
      console.log(await writeSweepIndex(f, { layers }));
      return;
    }
    if (!isRun)
      throw new Error(
        `${f} is not a run folder (no manifest.json)${isSweep ? '; a sweep folder must be given alone' : ''}`,
      );
  }
  await writeFile(opts.out, await renderRunsComparison(folders, opts.out, { layers }));
  console.log(opts.out);
}

main().catch((e: unknown) => {
  console.error(`compare-runs: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
