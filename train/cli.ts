import '../data/thread-pool.js';
import { Command, Option } from 'commander';
import { readTrainConfig } from './config-file.js';
import { parseTrainConfig, trainConfigSchema } from './config.js';
import { backendCandidates, describeBackend, selectBackend } from './backend/index.js';
import type { BackendRequest } from './backend/index.js';
import { stopOnInterrupt } from './interrupt.js';
import { runTraining, TrainingInterruptedError, TrainingStoppedError } from './trainer/run-training.js';
import { updateManifest } from '../run-folder/run-folder.js';
import { startRun } from './run-start.js';
import { collectVersions } from './versions.js';

const program = new Command('train')
  .description(
    'Train a CNN with TensorFlow.js into a run folder: checkpoints/<mini-epoch>/ (model.json, weights.bin, optimizer and trainer state), metrics.jsonl, manifest.json.',
  )
  .option(
    '-c, --config <file>',
    "training config JSON (data, model, optimizer, schedule, miniEpochImages, miniEpochs, …); defaults when omitted; with --resume, the run's own config is used",
  )
  .option('-o, --out <dir>', 'run folder to write', `runs/train-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  .addOption(
    new Option('-b, --backend <name>', `tfjs backend; auto tries ${backendCandidates.join(' → ')}`)
      .choices(['auto', ...backendCandidates])
      .default('auto'),
  )
  .option(
    '--resume',
    'continue the run in --out from its last complete checkpoint, with the config recorded in its manifest',
    false,
  )
  .option(
    '--allow-config-change',
    "with --resume and --config: continue with a config that differs from the run's (the change is recorded in manifest.json)",
    false,
  )
  .showHelpAfterError();

// A pipeline run's manifest holds the pipeline config (train config + probe, reference, …): keep the train part.
const trainPart = (raw: unknown): unknown =>
  typeof raw === 'object' && raw !== null
    ? Object.fromEntries(Object.entries(raw).filter(([k]) => k in trainConfigSchema.shape))
    : raw;

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{
    config?: string;
    out: string;
    backend: BackendRequest;
    resume: boolean;
    allowConfigChange: boolean;
  }>();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const start = await startRun({
    out: opts.out,
    resume: opts.resume,
    given: opts.config === undefined ? undefined : { config: await readTrainConfig(opts.config), source: opts.config },
    defaults: () => readTrainConfig(undefined),
    parseRecorded: (raw, source) => parseTrainConfig(trainPart(raw), source),
    allowConfigChange: opts.allowConfigChange,
    command: 'train',
    log,
  });
  try {
    if (start.finished) {
      console.log(
        `${opts.out} is a finished run (${start.lastCheckpoint} mini-epochs, test accuracy ${start.manifest?.testAccuracy?.toFixed(4) ?? 'n/a'}): nothing to do`,
      );
      return;
    }
    const signal = stopOnInterrupt(log);
    const report = await selectBackend(opts.backend);
    log(describeBackend(report));
    const started = performance.now();
    const manifestFields = {
      backend: report.backend,
      backendDetail: describeBackend(report),
      versions: collectVersions(),
    };
    const result = await runTraining(start.config, {
      out: opts.out,
      resume: start.resumed,
      manifestFields,
      signal,
      log,
    });
    await updateManifest(opts.out, {
      testAccuracy: result.testAccuracy,
      status: 'finished',
      stages: { train: (performance.now() - started) / 1000 },
    });
    console.log(
      `test accuracy ${result.testAccuracy.toFixed(4)} after ${result.miniEpochs} mini-epochs on backend ${report.backend}; run folder ${opts.out}`,
    );
  } finally {
    await start.lock.release();
  }
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error(e instanceof TrainingStoppedError ? message : `train: ${message}`);
  process.exit(e instanceof TrainingInterruptedError ? 130 : 1);
});
