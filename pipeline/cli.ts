import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { readTrainConfig, runTraining, updateManifest, collectVersions } from '../train/index.js';
import { describeBackend, selectBackend } from '../train/backend/index.js';
import { withAvailableData } from './data-fallback.js';

const defaultConfig = fileURLToPath(new URL('./configs/default.json', import.meta.url));

const program = new Command('pipeline')
  .description('Run actprobe end to end into a run folder. Stages so far: train (export, probe, compare, diagnosis and report land with their issues).')
  .option('-c, --config <file>', 'pipeline config JSON (same fields as the train config)', defaultConfig)
  .option('-o, --out <dir>', 'run folder', 'runs/latest')
  .option('--resume', 'continue an interrupted run in --out', false)
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{ config: string; out: string; resume: boolean }>();
  const config = await withAvailableData(await readTrainConfig(opts.config), (l) => console.error(l));
  const backend = await selectBackend('auto');
  console.error(describeBackend(backend));
  await updateManifest(opts.out, { backend: backend.backend, backendDetail: describeBackend(backend), versions: collectVersions() });
  const started = performance.now();
  const result = await runTraining(config, { out: opts.out, resume: opts.resume });
  const seconds = (performance.now() - started) / 1000;
  await updateManifest(opts.out, { config, testAccuracy: result.testAccuracy, status: 'finished', stages: { train: seconds } });
  console.log(`\nstage    seconds\ntrain    ${seconds.toFixed(1)}\n\ntest accuracy ${result.testAccuracy.toFixed(4)} (${result.data.info.name}, ${result.data.info.testCount} test images), backend ${backend.backend}\nrun folder ${opts.out}`);
}

main().catch((e: unknown) => {
  console.error(`pipeline: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
