import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** A download that reached the server but whose bytes are wrong: retrying elsewhere won't help. */
export class ChecksumError extends Error {}

export interface DownloadOptions {
  /** Expected lowercase hex MD5 of the whole file. */
  md5: string;
  timeoutMs?: number;
}

/**
 * Fetches `url` into `dest` only if its MD5 matches. The bytes go to a temp file in the same
 * directory and are renamed into place, so an interrupted or corrupt download never leaves a
 * file that a later run would trust.
 */
export async function downloadVerified(url: string, dest: string, opts: DownloadOptions): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 10 * 60_000) });
  if (!res.ok || !res.body) throw new Error(`GET ${url} answered HTTP ${res.status} ${res.statusText}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const actual = createHash('md5').update(bytes).digest('hex');
  if (actual !== opts.md5.toLowerCase()) {
    throw new ChecksumError(
      `Checksum mismatch for ${basename(dest)} downloaded from ${url}: MD5 ${actual}, expected ${opts.md5}. ` +
        'The file was not saved; the mirror may be serving a different or damaged file.',
    );
  }
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new Error(`Cannot save ${dest}: ${(err as Error).message}. Check that the directory is writable.`);
  }
}
