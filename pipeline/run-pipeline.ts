import * as ort from 'onnxruntime-node';
import {
  collectVersions,
  readManifest,
  runTraining,
  TrainingInterruptedError,
  updateManifest,
} from '../train/index.js';
import type { BackendReport } from '../train/backend/index.js';
import type { Diagnosis, ProbeResult } from '../probe/index.js';
import type { ParityReport } from '../export/index.js';
import type { PipelineConfig } from './config.js';
import { probeImages } from './probe-images.js';
import { writeReport } from './report/index.js';
import { compareWithReference } from './stages/reference.js';
import { diagnoseRun } from './stages/diagnose.js';
import { exportFinal } from './stages/final-export.js';
import { probeEachCheckpoint } from './stages/probe-checkpoint.js';
import { describeBackend } from '../train/backend/index.js';

export interface PipelineResult {
  testAccuracy: number;
  stages: Record<string, number>;
  parity: ParityReport;
  diagnosis: Diagnosis;
  compared: boolean;
  /** Which reference ran and why (or why none did). */
  reference: string;
  /** The magnitude verdict's headline, when the comparison ran. */
  magnitudes: string | null;
  reportPath: string;
  executionProvider: string | null;
  dataName: string;
  testImages: number;
}

/** train (+ export and probe after every checkpoint) → final export with parity → reference → diagnosis → report. */
export async function runPipeline(
  config: PipelineConfig,
  out: string,
  backend: BackendReport,
  opts: { resume: boolean; log: (line: string) => void; signal?: AbortSignal },
): Promise<PipelineResult> {
  const { log } = opts;
  const stopIfAsked = async (next: string): Promise<void> => {
    if (!opts.signal?.aborted) return;
    await updateManifest(out, { status: 'interrupted' });
    throw new TrainingInterruptedError(
      `pipeline interrupted before the ${next} stage; manifest marked interrupted. Training is complete: --resume runs the remaining stages`,
      config.miniEpochs,
    );
  };
  const stages: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    if (name !== 'train') await stopIfAsked(name); // training answers the signal itself, between steps
    log(`── ${name}`);
    try {
      return await work();
    } finally {
      stages[name] = (performance.now() - started) / 1000;
      // Only into a manifest that exists: a run refused before its first write leaves nothing behind.
      if ((await readManifest(out)) !== null) await updateManifest(out, { stages: { [name]: stages[name] } });
    }
  };
  const manifestFields = {
    config,
    backend: backend.backend,
    backendDetail: describeBackend(backend),
    versions: { ...collectVersions(), onnxruntime: ort.env.versions.node ?? ort.env.versions.common },
  };

  const probing = probeEachCheckpoint(out, config, log);
  const trained = await timed('train', () =>
    runTraining(config, {
      out,
      resume: opts.resume,
      onCheckpoint: probing.hook,
      log,
      manifestFields,
      signal: opts.signal,
    }),
  );
  // The probe ran inside training: book its time apart, so "train" means optimisation alone.
  stages.train -= probing.seconds();
  stages.probe = probing.seconds();
  await updateManifest(out, {
    stages: { train: stages.train, probe: stages.probe },
    testAccuracy: trained.testAccuracy,
  });

  const parity = await timed('export', () => exportFinal(out, trained.model, trained.data, config.parityImages));
  log(
    `export: model.onnx; parity ${parity.passed ? 'PASS' : 'FAIL'} (worst ${parity.worst ? `${parity.worst.layer} ${parity.worst.relToScale.toExponential(2)}` : 'n/a'} of tolerance ${parity.tolerance})`,
  );
  const images = probeImages(trained.data, [], config.probe.images);
  const compared = await timed('compare', () => compareWithReference(out, config.reference, images, log));
  const diagnosis = await timed('diagnosis', () => diagnoseRun(out, trained.data.info.classes));
  const executionProvider = probing.provider();
  // Marked finished before the report, which shows the manifest's status in its header.
  await updateManifest(out, { status: 'finished', testAccuracy: trained.testAccuracy, executionProvider });
  const reportPath = await timed('report', () => writeReport(out));
  return {
    testAccuracy: trained.testAccuracy,
    stages,
    parity,
    diagnosis,
    compared: compared.result !== null,
    reportPath,
    executionProvider,
    reference: compared.line,
    magnitudes: compared.result?.magnitudes?.verdict.headline ?? null,
    dataName: trained.data.info.name,
    testImages:
      config.evalImages > 0 ? Math.min(config.evalImages, trained.data.info.testCount) : trained.data.info.testCount,
  };
}

export type { ProbeResult };
