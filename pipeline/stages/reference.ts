import { writeFileAtomic } from '../../train/trainer/fs-atomic.js';
import { builtinCard, cachedReference, compareProbes, formatCompare, probeModel, readActivations, readCardFile } from '../../probe/index.js';
import type { CompareResult, ImageSource, ModelCard } from '../../probe/index.js';
import { runPaths } from '../../train/index.js';

/**
 * Probes the pretrained reference (when cached) on the same images as our last probe and writes compare.json.
 * A missing reference is a message saying how to fetch it, never an error: the rest of the run stands.
 */
export async function compareWithReference(runDir: string, cardName: string, images: ImageSource, log: (line: string) => void): Promise<CompareResult | null> {
  const card: ModelCard = cardName.endsWith('.json') ? await readCardFile(cardName) : builtinCard(cardName);
  let modelPath: string;
  try {
    modelPath = await cachedReference(card);
  } catch (e) {
    log(`reference: skipped — ${(e as Error).message}`);
    return null;
  }
  const probes = await readActivations(runPaths(runDir).activations);
  const ours = probes[probes.length - 1];
  if (!ours) {
    log('reference: skipped — no probe of our model to compare with');
    return null;
  }
  const ref = await probeModel({ model: modelPath, card, source: images, watch: 0 });
  const result = compareProbes(ours, ref);
  await writeFileAtomic(runPaths(runDir).compare, `${JSON.stringify(result, null, 2)}\n`);
  log(formatCompare(result));
  return result;
}
