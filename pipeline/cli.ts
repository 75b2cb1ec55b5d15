import '../train/data/thread-pool.js';
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { backendCandidates, describeBackend, selectBackend } from '../train/backend/index.js';
import type { BackendRequest } from '../train/backend/index.js';
import { parsePipelineConfig } from './config.js';
import { withAvailableData } from './data-fallback.js';
import { runPipeline } from './run-pipeline.js';
import { formatSummary } from './summary.js';

const defaultConfig = fileURLToPath(new URL('./configs/default.json', import.meta.url));

const program = new Command('pipeline')
  .description('Run actprobe end to end into a run folder: train (export + probe every checkpoint) → final ONNX export with a layer-by-layer parity proof → comparison with a pretrained AlexNet (when cached) → diagnosis → report.html.')
  .option('-c, --config <file>', 'pipeline config JSON (the train config plus probe, reference, parityImages); presets in pipeline/configs/', defaultConfig)
  .option('-o, --out <dir>', 'run folder', 'runs/latest')
  .option('-b, --backend <name>', `tfjs backend: auto or one of ${backendCandidates.join(', ')}`, 'auto')
  .option('--resume', 'continue an interrupted run in --out from its last checkpoint', false)
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{ config: string; out: string; backend: BackendRequest; resume: boolean }>();
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(opts.config, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read config ${opts.config}: ${(e as Error).message}`);
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const config = await withAvailableData(parsePipelineConfig(raw, `config ${opts.config}`), log);
  const backend = await selectBackend(opts.backend);
  log(describeBackend(backend));
  const result = await runPipeline(config, opts.out, backend, { resume: opts.resume, log });
  const native = backend.wasm?.native !== undefined ? ' + native training kernels' : backend.wasm?.nativeUnavailable !== undefined ? ' (wasm kernels only)' : '';
  console.log(formatSummary(result, opts.out, `${backend.backend}${native}`));
}

main().catch((e: unknown) => {
  console.error(`pipeline: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
