/**
 * The reference that ships with the project (assets/reference/: pretrained SqueezeNet 1.1, its ImageNet labels,
 * seven photographs). The model file is checked against its card's sha256 every time it is loaded (≈ 15 ms for
 * its 4.9 MB), so a damaged or truncated copy is refused with what to do instead of probing garbage.
 */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ModelCard } from './card.js';
import { verifyReferenceFile } from './verify.js';

export { verifyReferenceFile };

/** assets/reference/ of this checkout. */
export const SHIPPED_DIR = fileURLToPath(new URL('../../assets/reference/', import.meta.url));

/** The shipped photographs (--dataset photos). */
export const SHIPPED_PHOTOS_DIR = `${SHIPPED_DIR}photos`;

export const shippedPath = (file: string): string => `${SHIPPED_DIR}${file}`;

/** Path of a shipped reference model, checksum verified. */
export async function shippedReference(card: ModelCard): Promise<string> {
  if (!card.shipped) throw new Error(`Card "${card.name}" is not shipped with the project.`);
  const path = shippedPath(card.shipped);
  if (
    !(await stat(path).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    throw new Error(
      `Reference model ${card.name} should ship at ${path} but is missing; restore it with \`git checkout -- assets/reference/${card.shipped}\`.`,
    );
  }
  return verifyReferenceFile(
    card,
    path,
    `Restore the shipped copy with \`git checkout -- assets/reference/${card.shipped}\` (or a fresh clone).`,
  );
}

/** Class names from a shipped labels file, one a line. */
export function readShippedLabels(file: string, classes: number): string[] {
  const path = shippedPath(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `Cannot read the labels ${path}: ${(err as Error).message}. Restore it with \`git checkout -- assets/reference/${file}\`.`,
    );
  }
  const labels = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (labels.length !== classes)
    throw new Error(`${path} holds ${labels.length} labels; the card says ${classes} classes.`);
  return labels;
}
