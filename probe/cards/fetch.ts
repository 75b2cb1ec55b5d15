/**
 * Reference model files: a cache folder, a verified download (sha256 while streaming into a temp file,
 * renamed into place only when the checksum matches) and a lookup that says how to fill the cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ModelCard } from './card.js';
import { ChecksumMismatchError, sha256File, verifyReferenceFile } from './verify.js';
import { readSettings, settings, type Env } from '../../settings/index.js';

export function referenceCacheDir(env?: Env): string {
  return (env === undefined ? settings() : readSettings(env)).referenceCacheDir;
}

export { ChecksumMismatchError };

export interface FetchOptions {
  cacheDir?: string;
  /** Overrides the card's URL (mirrors, tests). */
  url?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Downloads the card's file into the cache unless a verified copy is there; returns its path. */
export async function fetchReference(card: ModelCard, opts: FetchOptions = {}): Promise<string> {
  const dir = opts.cacheDir ?? referenceCacheDir();
  if (!card.file) throw new Error(`Card "${card.name}" names no file to fetch.`);
  const dest = join(dir, card.file);
  const url = opts.url ?? card.url;
  if (!url)
    throw new Error(`Card "${card.name}" has no download URL. ${card.obtain ?? ''} Cache folder: ${dir}`.trim());
  if (!card.sha256)
    throw new Error(`Card "${card.name}" has no sha256; refusing to download a file that cannot be verified.`);
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  if (await exists(dest)) {
    if ((await sha256File(dest)) === card.sha256) return dest;
    log(`${dest} does not match the card's sha256; downloading it again.`);
  }
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${card.file}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  log(`fetch-reference: ${card.name} ← ${url}${card.bytes ? ` (${(card.bytes / 1e6).toFixed(0)} MB)` : ''}`);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 30 * 60_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `Cannot download ${card.name} from ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}. ` +
        `This machine looks offline or the host is unreachable. Download the file elsewhere and copy it to ${dest} ` +
        `(sha256 ${card.sha256}), or point ACTPROBE_REFERENCE_CACHE at a folder that holds it.`,
    );
  }
  if (!res.ok || !res.body)
    throw new Error(`Cannot download ${card.name}: GET ${url} answered HTTP ${res.status} ${res.statusText}.`);
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>),
      tee,
      createWriteStream(tmp),
    );
    const actual = hash.digest('hex');
    if (actual !== card.sha256) {
      throw new ChecksumMismatchError(
        `Checksum mismatch for ${card.name} from ${url}: sha256 ${actual}, expected ${card.sha256}. The file was not kept; the server may serve a different version or a damaged file.`,
      );
    }
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
  return dest;
}

/** Path of a cached reference, or an error that says how to get it. */
export async function cachedReference(card: ModelCard, cacheDir = referenceCacheDir()): Promise<string> {
  if (!card.file) throw new Error(`Card "${card.name}" names no model file.`);
  const path = join(cacheDir, card.file);
  const how = card.url ? `run \`npm run fetch-reference -- ${card.name}\`` : (card.obtain ?? 'obtain the file');
  if (!(await exists(path))) throw new Error(`Reference model ${card.name} is not in the cache (${path}); ${how}.`);
  // Checked on every use (≈ 0.3 s for the 233 MB AlexNet): a file damaged after its download would
  // otherwise fail deep inside onnxruntime, or worse, load and give other numbers.
  const again = card.url
    ? `Delete it and run \`npm run fetch-reference -- ${card.name}\` again.`
    : `Replace it: ${how}.`;
  return verifyReferenceFile(card, path, again);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
