import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { mapConcurrent } from './util.js';

export type OnBadImage = 'error' | 'skip';

export interface BadImage {
  path: string;
  reason: string;
}

const TAIL = 4096;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IEND = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/**
 * What is wrong with one image file, judged from its first and last bytes and its header (sharp reads
 * the header only): not an image, a header libvips rejects, or cut short. A truncated JPEG keeps a good
 * header, so its end is checked too: entropy-coded data never holds FF D9 (every FF there is followed by
 * 00 or a restart marker), so a JPEG without an EOI marker in its last 4 KiB was cut off. A PNG ends with
 * its IEND chunk, a WebP's RIFF size counts every byte after the first 8. Null when the file looks whole.
 */
export async function imageFileProblem(path: string): Promise<string | null> {
  let head: Buffer;
  let tail: Buffer;
  let size: number;
  try {
    const f = await open(path, 'r');
    try {
      size = (await f.stat()).size;
      head = Buffer.alloc(Math.min(size, 16));
      await f.read(head, 0, head.length, 0);
      tail = Buffer.alloc(Math.min(size, TAIL));
      await f.read(tail, 0, tail.length, size - tail.length);
    } finally {
      await f.close();
    }
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  if (size === 0) return 'is empty';
  let ending: string | null;
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    ending = hasJpegEnd(tail) ? null : 'is a truncated JPEG (no end-of-image marker)';
  } else if (head.subarray(0, 8).equals(PNG_SIGNATURE)) {
    ending = tail.subarray(-8).equals(PNG_IEND) ? null : 'is a truncated PNG (no IEND chunk at the end)';
  } else if (
    head.length >= 12 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WEBP'
  ) {
    ending =
      head.readUInt32LE(4) + 8 <= size
        ? null
        : `is a truncated WebP (${size} bytes, its header says ${head.readUInt32LE(4) + 8})`;
  } else {
    return `is not a JPEG, PNG or WebP (first bytes ${head.subarray(0, 8).toString('hex')})`;
  }
  if (ending) return ending;
  const meta = await sharp(path)
    .metadata()
    .catch((err: Error) => err);
  if (meta instanceof Error) return `has a header libvips rejects (${meta.message.split('\n')[0]})`;
  if (!meta.width || !meta.height) return 'has no image size in its header';
  return null;
}

function hasJpegEnd(tail: Buffer): boolean {
  for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
  return false;
}

/**
 * Checks every file before any training step (a bad file otherwise surfaced hours in, when first sampled),
 * several at a time, with a progress line every 2 s on long scans. Returns the bad ones.
 */
export async function findBadImages(paths: readonly string[], log: (line: string) => void): Promise<BadImage[]> {
  const bad: BadImage[] = [];
  let done = 0;
  const started = performance.now();
  let shown = started;
  await mapConcurrent(paths, Math.max(8, 4 * availableParallelism()), async (path) => {
    const reason = await imageFileProblem(path);
    if (reason) bad.push({ path, reason });
    done++;
    const now = performance.now();
    if (now - shown > 2000) {
      shown = now;
      log(`image-folder: checked ${done}/${paths.length} image files (${bad.length} bad so far)`);
    }
  });
  if (performance.now() - started > 2000)
    log(
      `image-folder: checked ${paths.length} image files in ${((performance.now() - started) / 1000).toFixed(1)} s, ${bad.length} bad`,
    );
  return bad.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The bad files, listed (first 20 in full); then either an error or a warning, per `data.onBadImage`. */
export function reportBadImages(bad: readonly BadImage[], policy: OnBadImage, log: (line: string) => void): void {
  if (bad.length === 0) return;
  const list = bad.slice(0, 20).map((b) => `  ${b.path} ${b.reason}`);
  if (bad.length > 20) list.push(`  … and ${bad.length - 20} more`);
  if (policy === 'error') {
    throw new Error(
      `image-folder: ${bad.length} image file(s) are damaged or not images:\n${list.join('\n')}\nDelete or replace them, or set "onBadImage": "skip" in the data config to train without them.`,
    );
  }
  log(`image-folder: skipping ${bad.length} damaged image file(s) ("onBadImage": "skip"):\n${list.join('\n')}`);
}
