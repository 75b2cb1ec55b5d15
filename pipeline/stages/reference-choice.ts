/**
 * Which pretrained reference a run is compared with, and why: the config's `reference` when its model is
 * available (shipped, or cached and checksum-verified) → the zoo AlexNet `bvlcalexnet-12` when cached → the
 * SqueezeNet 1.1 shipped with the project, which needs no download. So the comparison always runs.
 */
import { builtinCard, readCardFile, referenceModelPath, type ModelCard } from '../../probe/index.js';

export const FALLBACK_CHAIN = ['bvlcalexnet-12', 'squeezenet1.1'] as const;

export interface ReferenceChoice {
  card: ModelCard;
  modelPath: string;
  /** One sentence for the summary and the report. */
  why: string;
}

const loadCard = (arg: string): Promise<ModelCard> =>
  arg.endsWith('.json') ? readCardFile(arg) : Promise.resolve(builtinCard(arg));

export async function chooseReference(configured: string, cacheDir?: string): Promise<ReferenceChoice> {
  const unavailable: string[] = [];
  for (const [k, name] of [configured, ...FALLBACK_CHAIN.filter((n) => n !== configured)].entries()) {
    const card = await loadCard(name);
    try {
      const modelPath = await referenceModelPath(card, cacheDir);
      const source = card.shipped ? 'shipped with the project' : 'from the reference cache';
      const why =
        k === 0
          ? `the config's reference ${card.name} (${source})`
          : `${card.name} (${source}), because ${unavailable.join('; ')}`;
      return { card, modelPath, why };
    } catch (err) {
      // A damaged shipped file is not a reason to move on quietly: it is the last resort and must be repaired.
      if (card.shipped) throw err;
      const message = (err as Error).message;
      unavailable.push(
        /not in the cache/.test(message)
          ? `${card.name} is not in the cache (npm run fetch-reference -- ${card.name})`
          : `${card.name} is unusable: ${message.replace(/\.$/, '')}`,
      );
    }
  }
  throw new Error(`No reference model is available: ${unavailable.join('; ')}.`);
}
