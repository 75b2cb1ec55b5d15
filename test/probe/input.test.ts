import { mkdtempSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { builtinCard } from '../../probe/cards/builtin.js';
import { parseCard } from '../../probe/cards/card.js';
import { folderSource } from '../../probe/input/folder.js';
import { toModelInput } from '../../probe/input/preprocess.js';
import type { ImageBatch } from '../../probe/input/source.js';

const batchOf = (pixels: number[], height: number, width: number, channels: number): ImageBatch => ({
  pixels: Float32Array.from(pixels),
  count: 1,
  height,
  width,
  channels,
  ids: ['x'],
});

describe('preprocessing to model input', () => {
  it('applies the zoo AlexNet card: BGR, 0–255, minus the Caffe means, NCHW', () => {
    const card = parseCard(
      { ...builtinCard('bvlcalexnet-12'), input: { ...builtinCard('bvlcalexnet-12').input, height: 1, width: 2 } },
      'test',
    );
    // Two RGB pixels: (1, 0.5, 0) and (0, 0, 1).
    const x = toModelInput(batchOf([1, 0.5, 0, 0, 0, 1], 1, 2, 3), card);
    expect(Array.from(x)).toEqual(
      [
        0 - 103.939,
        255 - 103.939, // B plane
        127.5 - 116.779,
        0 - 116.779, // G plane
        255 - 123.68,
        0 - 123.68, // R plane
      ].map((v) => Math.fround(v)),
    );
  });

  it('resizes bilinearly with half-pixel centres and turns grey into three channels', () => {
    const card = parseCard(
      {
        ...builtinCard('torchvision-alexnet'),
        input: { ...builtinCard('torchvision-alexnet').input, height: 1, width: 4, crop: undefined },
      },
      'test',
    );
    const x = toModelInput(batchOf([0, 1], 1, 2, 1), card);
    // Source columns at x = 0, 1; targets sample at −0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
    const grey = [0, 0.25, 0.75, 1];
    expect(Array.from(x.subarray(0, 4))).toEqual(grey.map((v) => Math.fround((v - 0.485) / 0.229)));
    expect(Array.from(x.subarray(8, 12))).toEqual(grey.map((v) => Math.fround((v - 0.406) / 0.225)));
  });
  it("with a card's crop, samples the centre of the image scaled to the crop's shorter side", () => {
    const card = parseCard(
      {
        ...builtinCard('squeezenet1.1'),
        input: { ...builtinCard('squeezenet1.1').input, height: 1, width: 2, crop: { shorterSide: 4 } },
      },
      'test',
    );
    // A 4×4 grey image whose value is column / 3: scale 1, the centre 1×2 window covers columns 1 and 2 exactly.
    const x = toModelInput(
      batchOf(
        Array.from({ length: 16 }, (_, i) => (i % 4) / 3),
        4,
        4,
        1,
      ),
      card,
    );
    [1 / 3, 2 / 3].forEach((v, k) => expect(x[k]).toBeCloseTo((v - 0.485) / 0.229, 6));
  });
});

describe('--images DIR', () => {
  it("with a card's crop, scales the shorter side and cuts the centre out", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actprobe-crop-'));
    // 8×6: two red columns at the left, two blue at the right, green between; shorter side 6 stays, centre 4×4 kept.
    const raw = Buffer.alloc(8 * 6 * 3);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 8; x++) raw.set(x < 2 ? [255, 0, 0] : x >= 6 ? [0, 0, 255] : [0, 255, 0], (y * 8 + x) * 3);
    await sharp(raw, { raw: { width: 8, height: 6, channels: 3 } })
      .png()
      .toFile(join(dir, 'a.png'));
    const batches = [];
    for await (const b of (await folderSource(dir)).batches(8, {
      height: 4,
      width: 4,
      channels: 3,
      crop: { shorterSide: 6 },
    }))
      batches.push(b);
    const px = batches[0].pixels;
    expect(px.length).toBe(4 * 4 * 3);
    // Columns 2..5 of the source: all green (a squash would have pulled in red and blue).
    for (let i = 0; i < 16; i++) expect([px[3 * i], px[3 * i + 1], px[3 * i + 2]]).toEqual([0, 1, 0]);
  });

  it('decodes PNG and JPEG files in sorted order with sharp, resized to the model input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actprobe-images-'));
    await mkdir(join(dir, 'cats'));
    const solid = (r: number, g: number, b: number) =>
      sharp({ create: { width: 8, height: 6, channels: 3, background: { r, g, b } } });
    await solid(255, 0, 0)
      .png()
      .toFile(join(dir, 'cats', 'a.png'));
    await solid(0, 0, 255).jpeg({ quality: 100 }).toFile(join(dir, 'b.jpg'));
    const src = await folderSource(dir);
    expect(src.count).toBe(2);
    const batches = [];
    for await (const b of src.batches(8, { height: 4, width: 4, channels: 3 })) batches.push(b);
    expect(batches).toHaveLength(1);
    expect(batches[0].ids).toEqual(['b.jpg', join('cats', 'a.png')]);
    expect(batches[0].pixels.length).toBe(2 * 4 * 4 * 3);
    expect(batches[0].pixels[2]).toBeGreaterThan(0.95); // b.jpg is blue
    expect(batches[0].pixels[48]).toBeCloseTo(1, 6); // a.png is red
    await expect(folderSource(join(dir, 'cats', 'none'))).rejects.toThrow(/Cannot read --images .*none/);
  });
});
