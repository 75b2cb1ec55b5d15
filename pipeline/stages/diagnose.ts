import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import { diagnose, readActivations, readMetrics } from '../../probe/index.js';
import type { Diagnosis } from '../../probe/index.js';
import { runPaths } from '../../train/index.js';

/** Runs every diagnosis rule on the run's training metrics and activation history; writes diagnosis.json. */
export async function diagnoseRun(runDir: string, classes: number): Promise<Diagnosis> {
  const paths = runPaths(runDir);
  const history = await readMetrics(paths.metrics);
  const probes = await readActivations(paths.activations).catch(() => []);
  const result = diagnose({ history, classes, probes });
  await writeFileAtomic(paths.diagnosis, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
