import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import { compareProbes, formatCompare, photosSource, probeModel, readActivations } from '../../probe/index.js';
import type { CompareResult, ImageSource, ProbeResult } from '../../probe/index.js';
import { hasBatchNorm } from '../../probe/compare/batch-norm.js';
import { depthProfile } from '../../probe/compare/depth-profile.js';
import { magnitudeVerdict } from '../../probe/compare/magnitude-verdict.js';
import { runPaths } from '../../train/index.js';
import { chooseReference } from './reference-choice.js';

export interface ReferenceOutcome {
  result: CompareResult | null;
  /** What ran and why, or why nothing ran: one line for the summary. */
  line: string;
}

/**
 * Chooses the reference (reference-choice.ts), probes it on its own photos and on our probe images, and writes
 * compare.json: per-layer rows against our last checkpoint, depth profiles (ours first and last, the
 * reference on both inputs) and the magnitude verdict. `configured: null` (config `reference: null`) turns
 * the comparison off, and says so.
 */
export async function compareWithReference(
  runDir: string,
  configured: string | null,
  images: ImageSource,
  log: (line: string) => void,
): Promise<ReferenceOutcome> {
  if (configured === null) {
    log('reference: off (the config sets reference: null)');
    return { result: null, line: 'off (config reference: null)' };
  }
  const probes = await readActivations(runPaths(runDir).activations);
  const first = probes[0];
  const ours = probes[probes.length - 1];
  if (!ours || !first) {
    log('reference: not compared — no probe of our model to compare with');
    return { result: null, line: 'not compared (no probe of our model)' };
  }
  let choice: Awaited<ReturnType<typeof chooseReference>>;
  try {
    choice = await chooseReference(configured);
  } catch (err) {
    // Loud, and the rest of the run (model, probes, diagnosis, report) still stands.
    log(`reference: FAILED — ${(err as Error).message}`);
    return { result: null, line: `FAILED — ${(err as Error).message}` };
  }
  const { card, modelPath } = choice;
  log(`reference: ${choice.why}`);
  const onOurs = await probeModel({ model: modelPath, card, source: images, watch: 0 });
  const onPhotos = await probeModel({ model: modelPath, card, source: await photosSource(), watch: 0 });
  const oursBatchNorm = await hasBatchNorm(runPaths(runDir).model);
  const referenceBatchNorm = await hasBatchNorm(modelPath, card);
  const result = compareProbes(ours, onOurs, {
    pretrained: card.pretrained,
    oursBatchNorm,
    referenceBatchNorm,
    why: choice.why,
  });
  const refName = card.name;
  const last = depthProfile(ours, `ours, mini-epoch ${ours.miniEpoch ?? probes.length - 1}`);
  const reference = depthProfile(onPhotos, `${refName} (its photos)`);
  result.magnitudes = {
    ours: [depthProfile(first, `ours, mini-epoch ${first.miniEpoch ?? 0}`), last],
    reference,
    referenceOnOurs: depthProfile(onOurs, `${refName} (our images)`),
    verdict: magnitudeVerdict({
      last,
      history: probes as ProbeResult[],
      reference,
      referenceName: refName,
      referencePretrained: card.pretrained,
      oursBatchNorm,
      referenceBatchNorm,
      seLogits: seLogits(ours),
    }),
  };
  await writeFileAtomic(runPaths(runDir).compare, `${JSON.stringify(result, null, 2)}\n`);
  log(formatCompare(result));
  return {
    result,
    line: `${card.pretrained ? 'pretrained' : 'structure only, not pretrained'}: ${choice.why} (compare.json)`,
  };
}

/** Largest |pre-sigmoid| per SE excitation tap. */
function seLogits(p: ProbeResult): Array<{ layer: string; maxAbs: number }> {
  return p.layers
    .filter((l) => l.role === 'se-excite')
    .map((l) => ({
      layer: l.name,
      maxAbs: Math.max(Math.abs(l.summary.min ?? 0), Math.abs(l.summary.max ?? 0)),
    }));
}
