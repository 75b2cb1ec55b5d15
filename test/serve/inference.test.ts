/**
 * Numbers, not just statuses: /classify preprocesses exactly as training read images, activations agree
 * between stats and full maps, and merged (batched) requests each get their own answer.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../data/image-folder.js';
import type { FixtureSpec } from './fixtures.js';
import { GRAY, RGB, makeRunFolder, pixels, pngImage, tempDir } from './fixtures.js';
import { inferBody, numbers, postImage, postJson, startServer, type TestServer } from './helpers.js';

let root: string;
let server: TestServer;
const sessions = new Map<string, ort.InferenceSession>();

beforeAll(async () => {
  root = await tempDir('inference');
  for (const [name, spec] of [
    ['gray', GRAY],
    ['rgb', RGB],
  ] as const) {
    await makeRunFolder(join(root, name), spec);
    sessions.set(name, await ort.InferenceSession.create(await readFile(join(root, name, 'model.onnx'))));
  }
  server = await startServer({ models: root });
});
afterAll(async () => {
  await server?.close();
  for (const s of sessions.values()) await s.release();
  await rm(root, { recursive: true, force: true });
});

/** The reference: onnxruntime directly on model.onnx. */
async function bare(model: string, input: Float32Array, dims: number[]): Promise<number[]> {
  const out = await sessions.get(model)!.run({ input: new ort.Tensor('float32', input, dims) });
  return Array.from(out.probabilities.data as Float32Array);
}

const normalize = (hwc: Uint8Array, spec: FixtureSpec): Float32Array => {
  const { channels: C, height: H, width: W } = spec;
  const { scale, mean, std } = spec.preprocessing;
  return Float32Array.from({ length: C * H * W }, (_, i) => {
    const c = Math.floor(i / (H * W));
    return (hwc[(i % (H * W)) * C + c] * scale - mean[c]) / std[c];
  });
};

const close = (a: number[], b: number[], tol = 1e-6): void => {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));
};

describe('/classify preprocessing', () => {
  it('a 28×28 grey PNG reaches the model untouched, normalised with the metadata mean/std', async () => {
    const png = await pngImage(28, 28, 1, 5);
    const want = await bare('gray', normalize(pixels(28, 28, 1, 5), GRAY), [1, 1, 28, 28]);
    for (const mode of ['none', 'stats'])
      close(
        numbers((await postImage(`${server.url}/v1/models/gray/classify?activations=${mode}`, png)).json.probabilities),
        want,
      );
  });

  it('a 40×30 RGB PNG is resized exactly as training read images (data/image-folder decodeImage)', async () => {
    const png = await pngImage(40, 30, 3, 9);
    const file = join(root, 'img.png');
    await writeFile(file, png);
    const hwc = await decodeImage(file, RGB.height, RGB.width, 3);
    const want = await bare('rgb', normalize(hwc, RGB), [1, 3, RGB.height, RGB.width]);
    close(numbers((await postImage(`${server.url}/v1/models/rgb/classify`, png)).json.probabilities), want);
  });
});

describe('activations', () => {
  it('stats match the full maps they summarise, over a batch of 2', async () => {
    const body = (mode: string) =>
      inferBody([1, 28, 28], 2, { parameters: { activations: mode, layers: ['conv1', 'gap'] } });
    const stats = (await postJson(`${server.url}/v2/models/gray/infer`, body('stats'))).json;
    const full = (await postJson(`${server.url}/v2/models/gray/infer`, body('full'))).json;
    const maps = full.outputs as Array<{ name: string; shape: number[]; data: number[] }>;
    for (const layer of stats.activations as Array<{
      name: string;
      channels: { mean: number[]; max: number[]; std: number[] };
    }>) {
      const m = maps.find((o) => o.name === layer.name)!;
      const [n, c] = m.shape;
      const inner = m.data.length / (n * c);
      const values = (ch: number) =>
        Array.from({ length: n }, (_, i) => m.data.slice((i * c + ch) * inner, (i * c + ch + 1) * inner)).flat();
      for (let ch = 0; ch < c; ch++) {
        const v = values(ch);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        expect(layer.channels.mean[ch]).toBeCloseTo(mean, 5);
        expect(layer.channels.max[ch]).toBe(Math.max(...v));
        expect(layer.channels.std[ch]).toBeCloseTo(Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length), 5);
      }
    }
    // Tapping layers never changes the answer.
    close(maps.find((o) => o.name === 'probabilities')!.data, (stats.outputs as Array<{ data: number[] }>)[0].data);
  });
});

describe('request batching', () => {
  // Merging itself is checked in batcher.test.ts: with client and server in one process, requests rarely
  // arrive within one event-loop turn (from a separate client process they merge ~8 to a run, see the bench).
  it('concurrent requests each get their own answer', async () => {
    const model = server.app.models.get('rgb');
    const before = model.batches();
    const bodies = Array.from({ length: 24 }, (_, k) => {
      const b = inferBody([3, 16, 12], 1 + (k % 2));
      b.inputs[0].data = b.inputs[0].data.map((v) => v + k * 0.1);
      return b;
    });
    const replies = await Promise.all(bodies.map((b) => postJson(`${server.url}/v2/models/rgb/infer`, b)));
    for (const [k, r] of replies.entries()) {
      const t = bodies[k].inputs[0];
      close(
        (r.json.outputs as Array<{ data: number[] }>)[0].data,
        await bare('rgb', Float32Array.from(t.data), t.shape),
        1e-5,
      );
    }
    const after = model.batches();
    expect(after.images - before.images).toBe(36);
    expect(after.runs - before.runs).toBeLessThanOrEqual(24);
  });
});
