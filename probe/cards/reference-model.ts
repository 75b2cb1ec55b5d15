/**
 * Where a reference card's model file is: the project's shipped copy (assets/reference/) or the fetch-reference
 * cache; either way checked against the card's sha256 before use.
 */
import type { ModelCard } from './card.js';
import { cachedReference, referenceCacheDir } from './fetch.js';
import { shippedReference, verifyReferenceFile } from './shipped.js';

export async function referenceModelPath(card: ModelCard, cacheDir = referenceCacheDir()): Promise<string> {
  if (card.shipped) return shippedReference(card);
  const path = await cachedReference(card, cacheDir);
  const how = card.url ? `Delete it and run \`npm run fetch-reference -- ${card.name}\` again.` : `Replace it: ${card.obtain ?? 'obtain the file again'}.`;
  return verifyReferenceFile(card, path, how);
}
