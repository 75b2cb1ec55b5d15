/**
 * Where a reference card's model file is: the project's shipped copy (assets/reference/) or the fetch-reference
 * cache; either way checked against the card's sha256 before use.
 */
import type { ModelCard } from './card.js';
import { cachedReference, referenceCacheDir } from './fetch.js';
import { shippedReference } from './shipped.js';

export async function referenceModelPath(card: ModelCard, cacheDir = referenceCacheDir()): Promise<string> {
  // cachedReference verifies the cached file itself (on every use), so it is not hashed twice here.
  return card.shipped ? shippedReference(card) : cachedReference(card, cacheDir);
}
