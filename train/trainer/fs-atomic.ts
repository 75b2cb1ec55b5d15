import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Writes a file so readers see the old content or the new, never half: temp file in the same folder, then rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/**
 * Fills a folder through `fill(tmpDir)` and renames it into place, so a folder that exists is complete.
 * A stale temp folder from a killed process is removed first.
 */
export async function writeDirAtomic(path: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await fill(tmp);
  await rm(path, { recursive: true, force: true });
  await rename(tmp, path);
}
