import '../data/thread-pool.js';
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runPaths } from '../run-folder/run-folder.js';
import { backendCandidates, describeBackend, selectBackend } from '../train/backend/index.js';
import type { BackendRequest } from '../train/backend/index.js';
import { startRun, stopOnInterrupt, TrainingInterruptedError } from '../train/index.js';
import { parsePipelineConfig } from './config.js';
import type { PipelineConfig } from './config.js';
import { withAvailableData } from './data-fallback.js';
import { formatSummary } from './summary.js';

const defaultConfig = fileURLToPath(new URL('./configs/default.json', import.meta.url));

const program = new Command('pipeline')
  .description(
    'Run actprobe end to end into a run folder: train (export + probe every checkpoint) → final ONNX export with a layer-by-layer parity proof → comparison with a pretrained AlexNet (when cached) → diagnosis → report.html.',
  )
  .option(
    '-c, --config <file>',
    `pipeline config JSON (the train config plus probe, reference, parityImages); presets in pipeline/configs/; default ${defaultConfig}; with --resume, the run's own config is used`,
  )
  .option('-o, --out <dir>', 'run folder', 'runs/latest')
  .option('-b, --backend <name>', `tfjs backend: auto or one of ${backendCandidates.join(', ')}`, 'auto')
  .option(
    '--resume',
    'continue the run in --out from its last checkpoint, with the config recorded in its manifest',
    false,
  )
  .option(
    '--allow-config-change',
    "with --resume and --config: continue with a config that differs from the run's (the change is recorded in manifest.json)",
    false,
  )
  .showHelpAfterError();

async function readPipelineConfig(path: string, log: (line: string) => void): Promise<PipelineConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read config ${path}: ${(e as Error).message}`);
  }
  return withAvailableData(parsePipelineConfig(raw, `config ${path}`), log);
}

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
    given:
      opts.config === undefined
        ? undefined
        : { config: await readPipelineConfig(opts.config, log), source: opts.config },
    defaults: () => readPipelineConfig(defaultConfig, log),
    parseRecorded: (raw, source) => parsePipelineConfig(raw, source),
    allowConfigChange: opts.allowConfigChange,
    command: 'pipeline',
    log,
  });
  try {
    if (start.finished) {
      const report = runPaths(opts.out).report;
      if (!existsSync(report)) {
        // The manifest is marked finished just before the report (whose header shows that status): a run
        // stopped between the two is finished but has no report, so it is written now.
        const { writeReport } = await import('./report/index.js');
        console.log(`${opts.out} is a finished run without its report: wrote ${await writeReport(opts.out)}`);
        return;
      }
      console.log(
        `${opts.out} is a finished run (${start.lastCheckpoint} mini-epochs, test accuracy ${start.manifest?.testAccuracy?.toFixed(4) ?? 'n/a'}; report ${report}): nothing to do`,
      );
      return;
    }
    const signal = stopOnInterrupt(log);
    const backend = await selectBackend(opts.backend);
    log(describeBackend(backend));
    // Loaded only now (onnxruntime, the exporter, the report): a refusal above answers in about a second.
    const { runPipeline } = await import('./run-pipeline.js');
    const result = await runPipeline(start.config, opts.out, backend, { resume: start.resumed, log, signal });
    const native =
      backend.wasm?.native !== undefined
        ? ' + native training kernels'
        : backend.wasm?.nativeUnavailable !== undefined
          ? ' (wasm kernels only)'
          : '';
    console.log(formatSummary(result, opts.out, `${backend.backend}${native}`));
  } finally {
    await start.lock.release();
  }
}

main().catch((e: unknown) => {
  const interrupted = e instanceof TrainingInterruptedError;
  console.error(interrupted ? e.message : `pipeline: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(interrupted ? 130 : 1);
});
