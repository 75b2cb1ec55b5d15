/** `--images DIR`: every PNG/JPEG/WebP under DIR (sorted, recursive), decoded and resized with sharp. */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import type { ImageBatch, ImageSource, TargetSize } from './source.js';

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

export async function folderSource(dir: string, limit?: number, describe?: string): Promise<ImageSource> {
  const all = await listImages(dir);
  if (all.length === 0) throw new Error(`--images ${dir} holds no .png, .jpg, .jpeg or .webp files.`);
  const files = limit === undefined ? all : all.slice(0, limit);
  return {
    describe: describe ?? `images:${dir} (${files.length} of ${all.length} files)`,
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
        const batch: ImageBatch = {
          pixels,
          count: chunk.length,
          height: size.height,
          width: size.width,
          channels: size.channels,
          ids: chunk.map((f) => relative(dir, f)),
        };
        yield batch;
      }
    },
  };
}

async function decode(file: string, size: TargetSize): Promise<Uint8Array> {
  try {
    let img = sharp(file).rotate().removeAlpha();
    // Squash to the model size, or (a card's crop) scale the shorter side and cut the centre out below.
    img = size.crop
      ? img.resize({ width: size.crop.shorterSide, height: size.crop.shorterSide, fit: 'outside' })
      : img.resize(size.width, size.height, { fit: 'fill' });
    img = size.channels === 1 ? img.greyscale() : img.toColourspace('srgb');
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== size.channels)
      throw new Error(`decoded ${info.channels} channels, expected ${size.channels}`);
    return size.crop ? centreCrop(data, info.width, info.height, size) : data;
  } catch (err) {
    throw new Error(`Cannot decode image ${file}: ${(err as Error).message}. Remove it or convert it to PNG/JPEG.`);
  }
}

/** The centre height × width of an HWC image (offsets rounded down). */
export function centreCrop(data: Uint8Array, w: number, h: number, size: TargetSize): Uint8Array {
  if (w < size.width || h < size.height)
    throw new Error(`resized to ${w}×${h}, smaller than the ${size.width}×${size.height} crop`);
  const left = Math.floor((w - size.width) / 2);
  const top = Math.floor((h - size.height) / 2);
  const c = size.channels;
  const out = new Uint8Array(size.width * size.height * c);
  for (let y = 0; y < size.height; y++)
    out.set(data.subarray(((top + y) * w + left) * c, ((top + y) * w + left + size.width) * c), y * size.width * c);
  return out;
}
