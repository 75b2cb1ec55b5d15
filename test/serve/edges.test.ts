/**
 * Serving edges on a real server (port 0): a truncated model among good ones, the model list, the protocol's
 * versioned paths (also on the lean infer path), the classifier's logits by name, and WebP uploads.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAY, RGB, makeRunFolder, pixels, tempDir } from './fixtures.js';
import { call, expectCleanError, inferBody, postImage, postJson, startServer, type TestServer } from './helpers.js';

let root: string;
let server: TestServer;

beforeAll(async () => {
  root = await tempDir('edges');
  await makeRunFolder(join(root, 'gray'), GRAY);
  await makeRunFolder(join(root, 'rgb'), RGB);
  // A run killed while writing its model: the first 300 bytes of a good one.
  await mkdir(join(root, 'cut'));
  await writeFile(join(root, 'cut', 'model.onnx'), (await readFile(join(root, 'gray', 'model.onnx'))).subarray(0, 300));
  server = await startServer({ models: root });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('serve edges', () => {
  it('serves the good models when one is truncated, and reports the broken one in ready, /v2/models and the log', async () => {
    const ready = await call(`${server.url}/v2/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json.ready).toBe(true);
    expect(ready.json.broken).toEqual([{ name: 'cut', error: expect.stringMatching(/.+/) }]);
    expect(server.logs.some((l) => l.msg === 'model not loaded' && l.model === 'cut')).toBe(true);
    const r = await postJson(`${server.url}/v2/models/gray/infer`, inferBody([1, 28, 28]));
    expect(r.status).toBe(200);
    expectCleanError(await call(`${server.url}/v2/models/cut`), 503, /model "cut" could not be loaded .*model\.onnx/);
    expectCleanError(
      await postJson(`${server.url}/v2/models/cut/infer`, inferBody([1, 28, 28])),
      503,
      /could not be loaded/,
    );
  });

  it('GET /v2/models lists every model with its state', async () => {
    const r = await call(`${server.url}/v2/models`);
    expect(r.status).toBe(200);
    const models = r.json.models as Array<{ name: string; state: string; versions: string[] }>;
    expect(models.map((m) => [m.name, m.state])).toEqual([
      ['cut', 'UNAVAILABLE'],
      ['gray', 'READY'],
      ['rgb', 'READY'],
    ]);
    expect(models.every((m) => m.versions[0] === '1')).toBe(true);
  });

  it('answers the versioned paths for version 1, on both infer paths, with the same answers', async () => {
    const meta = await call(`${server.url}/v2/models/rgb/versions/1`);
    expect(meta.status).toBe(200);
    expect(meta.json).toEqual((await call(`${server.url}/v2/models/rgb`)).json);
    expect((await call(`${server.url}/v2/models/rgb/versions/1/ready`)).json).toEqual({ name: 'rgb', ready: true });
    const body = inferBody([3, 16, 12], 2);
    const plain = await postJson(`${server.url}/v2/models/rgb/infer`, body);
    const versioned = await postJson(`${server.url}/v2/models/rgb/versions/1/infer`, body); // lean path
    expect(versioned.status).toBe(200);
    expect(versioned.json.outputs).toEqual(plain.json.outputs);
    // gzip bodies skip the lean path: the express route answers the versioned path too.
    const { gzipSync } = await import('node:zlib');
    const zipped = await fetch(`${server.url}/v2/models/rgb/versions/1/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(body)),
    });
    expect(zipped.status).toBe(200);
    expect(((await zipped.json()) as { outputs: unknown }).outputs).toEqual(plain.json.outputs);
    expect(server.logs.some((l) => l.route === '/v2/models/:name/versions/:version/infer' && l.status === 200)).toBe(
      true,
    );
    expectCleanError(await call(`${server.url}/v2/models/rgb/versions/2`), 404, /no version "2"; served versions: 1/);
    expectCleanError(await postJson(`${server.url}/v2/models/rgb/versions/2/infer`, body), 404, /no version "2"/);
  });

  it('the lean infer path takes versioned requests for version 1 and leaves other versions to express', async () => {
    const { createServer } = await import('node:http');
    const { inferFastPath } = await import('../../serve/routes/infer-fast-path.js');
    const a = server.app;
    const fast = inferFastPath({
      registry: a.models,
      token: undefined,
      log: () => undefined,
      metrics: a.metrics,
      maxJsonBytes: 1 << 20,
      maxBatchImages: 64,
    });
    const taken: boolean[] = [];
    const http = createServer((req, res) => {
      taken.push(fast(req, res));
      if (!taken.at(-1)) a.app(req, res);
    });
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    try {
      expect((await postJson(`${url}/v2/models/rgb/versions/1/infer`, inferBody([3, 16, 12]))).status).toBe(200);
      expect((await postJson(`${url}/v2/models/rgb/versions/7/infer`, inferBody([3, 16, 12]))).status).toBe(404);
      expect(taken).toEqual([true, false]);
    } finally {
      await new Promise((ok) => http.close(ok));
    }
  });

  it('gives the classifier layer by name as its logits (softmax of them = the probabilities)', async () => {
    const r = await postJson(
      `${server.url}/v2/models/gray/infer`,
      inferBody([1, 28, 28], 1, { parameters: { activations: 'full', layers: ['classifier'] } }),
    );
    expect(r.status, r.text).toBe(200);
    const [probabilities, logits] = r.json.outputs as Array<{
      name: string;
      shape: number[];
      data: number[];
      parameters?: { op: string };
    }>;
    expect([logits.name, logits.parameters?.op, logits.shape]).toEqual(['classifier', 'Gemm', [1, 10]]);
    const probs = probabilities.data;
    const max = Math.max(...logits.data);
    const exp = logits.data.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    exp.forEach((e, i) => expect(e / sum).toBeCloseTo(probs[i], 5));
  });

  it('classifies a WebP as it classifies the same pixels in PNG (lossless WebP)', async () => {
    const px = pixels(12, 16, 3, 2);
    const raw = { raw: { width: 12, height: 16, channels: 3 as const } };
    const webp = await sharp(Buffer.from(px), raw).webp({ lossless: true }).toBuffer();
    const png = await sharp(Buffer.from(px), raw).png().toBuffer();
    const a = await postImage(`${server.url}/v1/models/rgb/classify?activations=none`, webp, 'image/webp');
    expect(a.status, a.text).toBe(200);
    expect((a.json.image as { format: string }).format).toBe('webp');
    const b = await postImage(`${server.url}/v1/models/rgb/classify?activations=none`, png, 'image/png');
    expect(a.json.probabilities).toEqual(b.json.probabilities);
  });
});
