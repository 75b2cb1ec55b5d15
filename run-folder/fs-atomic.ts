import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** A temp name beside `path` (same filesystem, so rename is atomic), unique per process and call. */
function tempBeside(path: string, suffix: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${suffix}`);
}

/**
 * Writes a file so readers see the old content or the new, never half: temp file in the same folder,
 * flushed to disk, then renamed. A plain write killed half way left a 524,288-byte model.onnx that the
 * ONNX checker rejects and every later stage trusted; every file another stage reads goes through here.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempBeside(path, 'tmp');
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
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
