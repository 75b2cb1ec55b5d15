/**
 * A reference model file checked against its card: sha256 (streamed, so the 233 MB AlexNet is not held in
 * memory twice) and byte count. One check for the shipped copy and the fetch-reference cache alike.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ModelCard } from './card.js';

/** A file whose sha256 is not the card's: damaged, truncated or another version. */
export class ChecksumMismatchError extends Error {}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Verifies `path` against the card's sha256 (and byte count); throws a ChecksumMismatchError that says what to do. */
export async function verifyReferenceFile(card: ModelCard, path: string, howToRestore: string): Promise<string> {
  if (!card.sha256) return path;
  let actual: string;
  let size: number;
  try {
    size = (await stat(path)).size;
    actual = await sha256File(path);
  } catch (err) {
    throw new Error(`Reference model ${card.name}: cannot read ${path}: ${(err as Error).message}. ${howToRestore}`);
  }
  if (actual !== card.sha256) {
    const bytes =
      card.bytes !== undefined && size !== card.bytes
        ? ` and ${size} bytes instead of ${card.bytes} (truncated or damaged)`
        : '';
    throw new ChecksumMismatchError(
      `Reference model ${card.name} at ${path} is damaged: sha256 ${actual}${bytes}, expected ${card.sha256}. It was not used. ${howToRestore}`,
    );
  }
  return path;
}
