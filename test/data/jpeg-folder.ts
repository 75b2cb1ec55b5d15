/** JPEG class folders made by code (sharp) for tests and the loader bench: varied pictures, fixed seed. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** One w×h RGB picture: gradients and stripes that differ per class and per image. */
export function picture(w: number, h: number, cls: number, n: number): Buffer {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      px[i] = (x * 3 + cls * 60 + n * 7) % 256;
      px[i + 1] = (y * 5 + ((x >> 3) & 1) * 90 + n) % 256;
      px[i + 2] = (cls * 90 + (x ^ y)) % 256;
    }
  }
  return px;
}

/** root/c<k>/<n>.jpg for `classes` × `perClass` JPEGs of w×h; returns every path written. */
export async function writeJpegFolder(
  root: string,
  classes: number,
  perClass: number,
  w: number,
  h: number,
): Promise<string[]> {
  const paths: string[] = [];
  for (let c = 0; c < classes; c++) {
    await mkdir(join(root, `c${c}`), { recursive: true });
    await Promise.all(
      Array.from({ length: perClass }, async (_, n) => {
        const path = join(root, `c${c}`, `${String(n).padStart(4, '0')}.jpg`);
        await writeFile(
          path,
          await sharp(picture(w, h, c, n), { raw: { width: w, height: h, channels: 3 } })
            .jpeg({ quality: 85 })
            .toBuffer(),
        );
        paths.push(path);
      }),
    );
  }
  return paths.sort();
}
