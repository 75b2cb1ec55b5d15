import './data/thread-pool.js';
import { Command, Option } from 'commander';
import { readTrainConfig } from './config-file.js';
import { backendCandidates, describeBackend, selectBackend } from './backend/index.js';
import type { BackendRequest } from './backend/index.js';
import { runTraining, TrainingStoppedError } from './trainer/run-training.js';
import { updateManifest } from './run-folder.js';
import { collectVersions } from './versions.js';

const program = new Command('train')
  .description('Train a CNN with TensorFlow.js into a run folder: checkpoints/<mini-epoch>/ (model.json, weights.bin, optimizer and trainer state), metrics.jsonl, manifest.json.')
  .option('-c, --config <file>', 'training config JSON (data, model, optimizer, schedule, miniEpochImages, miniEpochs, …); defaults when omitted')
  .option('-o, --out <dir>', 'run folder to write', `runs/train-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  .addOption(new Option('-b, --backend <name>', 'tfjs backend; auto tries ' + backendCandidates.join(' → ')).choices(['auto', ...backendCandidates]).default('auto'))
  .option('--resume', 'continue the run in --out from its last complete checkpoint', false)
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{ config?: string; out: string; backend: BackendRequest; resume: boolean }>();
  const config = await readTrainConfig(opts.config);
  const report = await selectBackend(opts.backend);
  console.error(describeBackend(report));
  await updateManifest(opts.out, { backend: report.backend, backendDetail: describeBackend(report), versions: collectVersions() });
  const started = performance.now();
  const result = await runTraining(config, { out: opts.out, resume: opts.resume });
  await updateManifest(opts.out, { testAccuracy: result.testAccuracy, status: 'finished', stages: { train: (performance.now() - started) / 1000 } });
  console.log(`test accuracy ${result.testAccuracy.toFixed(4)} after ${result.miniEpochs} mini-epochs on backend ${report.backend}; run folder ${opts.out}`);
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error(e instanceof TrainingStoppedError ? message : `train: ${message}`);
  process.exit(1);
});
