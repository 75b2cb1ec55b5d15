/** `--images DIR`: every PNG/JPEG/WebP under DIR (sorted, recursive), decoded and resized with sharp. */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import type { ImageBatch, ImageSource } from './source.js';

const IMAGE_FILE = /\.(png|jpe?g|webp)$/i;

/**
 * Every image file under `dir`, sorted, following symbolic links to files and folders (reference photo sets
 * are often links into a larger collection). Each real folder is read once, so a link back to an ancestor
 * cannot loop; a link to nothing is an error naming it.
 */
export async function listImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    await walk(dir, new Set(), out);
  } catch (err) {
    throw new Error(`Cannot read --images ${dir}: ${(err as Error).message}`);
  }
  return out.sort();
}

async function walk(dir: string, seen: Set<string>, out: string[]): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const s = await stat(path).catch(() => null);
    if (s === null) throw new Error(`${path} is a symbolic link to nothing; fix or remove the link`);
    if (s.isDirectory()) await walk(path, seen, out);
    else if (s.isFile() && IMAGE_FILE.test(name)) out.push(path);
  }
}

export async function folderSource(dir: string, limit?: number): Promise<ImageSource> {
  const all = await listImages(dir);
  if (all.length === 0) throw new Error(`--images ${dir} holds no .png, .jpg, .jpeg or .webp files.`);
  const files = limit === undefined ? all : all.slice(0, limit);
  return {
    describe: `images:${dir} (${files.length} of ${all.length} files)`,
    count: files.length,
    async *batches(batchSize, size) {
      for (let i = 0; i < files.length; i += batchSize) {
        const chunk = files.slice(i, i + batchSize);
        const decoded = await Promise.all(chunk.map((f) => decode(f, size)));
        const per = size.height * size.width * size.channels;
        const pixels = new Float32Array(chunk.length * per);
        decoded.forEach((d, k) => {
          for (let j = 0; j < per; j++) pixels[k * per + j] = d[j] / 255;
        });
        const batch: ImageBatch = { pixels, count: chunk.length, height: size.height, width: size.width, channels: size.channels, ids: chunk.map((f) => relative(dir, f)) };
        yield batch;
      }
    },
  };
}

async function decode(file: string, size: { height: number; width: number; channels: 1 | 3 }): Promise<Uint8Array> {
  try {
    let img = sharp(file).rotate().removeAlpha().resize(size.width, size.height, { fit: 'fill' });
    img = size.channels === 1 ? img.greyscale() : img.toColourspace('srgb');
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== size.channels) throw new Error(`decoded ${info.channels} channels, expected ${size.channels}`);
    return data;
  } catch (err) {
    throw new Error(`Cannot decode image ${file}: ${(err as Error).message}. Remove it or convert it to PNG/JPEG.`);
  }
}
