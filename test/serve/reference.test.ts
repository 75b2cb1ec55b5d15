/**
 * The shipped pretrained SqueezeNet 1.1 served by name beside a run (`--reference squeezenet1.1`): real weights,
 * real photos, the card's preprocessing (shorter side 256, centre crop 224). Top-k membership, not top-1: on
 * these photos the crop decides between close classes (eagle.jpg: kite 0.64 / bald eagle 0.31 with the crop).
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_PHOTOS_DIR } from '../../probe/cards/shipped.js';
import { createApp } from '../../serve/index.js';
import { GRAY, makeRunFolder, tempDir } from './fixtures.js';
import { call, postImage, startServer, type TestServer } from './helpers.js';
import { classifyInPage } from './page-driver.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.js';

let root: string;
let server: TestServer;

beforeAll(async () => {
  root = await tempDir('reference');
  await makeRunFolder(join(root, 'run-a'), GRAY);
  server = await startServer({ models: root, references: ['squeezenet1.1'] });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

type Top = Array<{ label: string; score: number }>;
const classify = async (photo: string) => {
  const r = await postImage(
    `${server.url}/v1/models/squeezenet1.1/classify?top=3`,
    await readFile(join(SHIPPED_PHOTOS_DIR, photo)),
    'image/jpeg',
  );
  expect(r.status, r.text).toBe(200);
  return r.json as {
    top: Top;
    probabilities: number[];
    activations: Array<{ name: string; channels: { max: Array<number | null> } }>;
  };
};

describe('serving the shipped reference by name', () => {
  it('classifies dog.jpg as a sled dog and eagle.jpg as a bald eagle (top-k), with probabilities and activations', async () => {
    const dog = await classify('dog.jpg');
    expect(
      dog.top.map((t) => t.label).some((l) => /dogsled|malamute/.test(l)),
      JSON.stringify(dog.top),
    ).toBe(true);
    const sum = dog.probabilities.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 4);
    expect(dog.activations.length).toBeGreaterThan(20);
    // Trained, no batch norm: the deepest activations reach the 100s on a real photo.
    expect(Math.max(...dog.activations.flatMap((a) => a.channels.max.map((v) => v ?? 0)))).toBeGreaterThan(100);
    const eagle = await classify('eagle.jpg');
    expect(
      eagle.top
        .slice(0, 2)
        .map((t) => t.label)
        .some((l) => /bald eagle/.test(l)),
      JSON.stringify(eagle.top),
    ).toBe(true);
  });

  it('describes it in /v2/models/{name} with its labels, preprocessing and crop, beside the run', async () => {
    const meta = (await call(`${server.url}/v2/models/squeezenet1.1`)).json as {
      labels: string[];
      preprocessing: { channelOrder: string; mean: number[] };
      crop: { shorterSide: number };
      outputKind: string;
    };
    expect(meta.labels).toHaveLength(1000);
    expect(meta.preprocessing).toMatchObject({ channelOrder: 'RGB', mean: [0.485, 0.456, 0.406] });
    expect(meta.crop).toEqual({ shorterSide: 256 });
    expect(meta.outputKind).toBe('logits');
    expect((await call(`${server.url}/v2/models/run-a`)).status).toBe(200);
  });

  it('refuses an unknown reference card by name', async () => {
    await expect(createApp({ models: root, references: ['no-such-card'], log: () => {} })).rejects.toThrow(
      /Unknown model card "no-such-card"/,
    );
  });

  it.skipIf(!existsSync(CHROMIUM))(
    "the browser page picks it by name and classifies dog.jpg with the card's crop",
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      });
      try {
        const page = await browser.newPage();
        await page.goto(`${server.url}/?model=squeezenet1.1`);
        const r = await classifyInPage<{ state: string; top?: Array<{ label: string }> }>(
          page,
          join(SHIPPED_PHOTOS_DIR, 'dog.jpg'),
        );
        expect(r.state, (await page.textContent('#status')) ?? '').toBe('done');
        expect(
          r.top?.slice(0, 3).some((t) => /dogsled|malamute/.test(t.label)),
          JSON.stringify(r.top),
        ).toBe(true);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
