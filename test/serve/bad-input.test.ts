/**
 * Every bad input we know of, table-driven over real HTTP: each gets JSON `{ error }` with its 4xx and
 * no stack, and the server still answers a good request right after.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAY, giantPng, makeRunFolder, pngImage, tempDir, truncatedPng } from './fixtures.js';
import {
  call,
  expectCleanError,
  rawGet,
  inferBody,
  postImage,
  postJson,
  postMultipart,
  startServer,
  type Reply,
  type TestServer,
} from './helpers.js';

let root: string;
let server: TestServer;
const LIMITS = { maxJsonBytes: 256 << 10, maxImageBytes: 64 << 10, maxImagePixels: 4096 * 4096, maxBatchImages: 4 };

beforeAll(async () => {
  root = await tempDir('bad-input');
  await makeRunFolder(join(root, 'gray'), GRAY);
  server = await startServer({ models: join(root, 'gray'), ...LIMITS });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const infer = (u: string, body: unknown) => postJson(`${u}/v2/models/gray/infer`, body);
const withInput = (patch: Record<string, unknown>) => ({ inputs: [{ ...inferBody([1, 28, 28]).inputs[0], ...patch }] });
const classify = (u: string, bytes: Uint8Array, type?: string) =>
  postImage(`${u}/v1/models/gray/classify`, bytes, type);
/** 400 kB of noise: incompressible, so it is really that large as a PNG. */
const bigPng = () =>
  pngImage(1, 1, 1).then(async () =>
    (await import('sharp'))
      .default(Buffer.from(Array.from({ length: 360 * 360 * 3 }, (_, i) => (i * 7919) % 251)), {
        raw: { width: 360, height: 360, channels: 3 },
      })
      .png({ compressionLevel: 0 })
      .toBuffer(),
  );

const cases: Array<{ name: string; status: number; mentions?: RegExp; run: (u: string) => Promise<Reply> }> = [
  { name: 'malformed JSON', status: 400, mentions: /malformed JSON/, run: (u) => infer(u, '{"inputs": [') },
  {
    name: 'JSON that is not an inference request',
    status: 400,
    mentions: /inputs/,
    run: (u) => infer(u, { hello: 1 }),
  },
  {
    name: 'data holding strings',
    status: 400,
    mentions: /only numbers/,
    run: (u) => infer(u, withInput({ data: ['a', ...new Array(783).fill(0)] })),
  },
  {
    name: 'wrong datatype',
    status: 422,
    mentions: /INT32.*FP32/,
    run: (u) => infer(u, withInput({ datatype: 'INT32' })),
  },
  {
    name: 'wrong shape',
    status: 422,
    mentions: /\[N, 1, 28, 28\]/,
    run: (u) => infer(u, withInput({ shape: [1, 1, 27, 28] })),
  },
  {
    name: 'data shorter than the shape',
    status: 422,
    mentions: /783 values/,
    run: (u) => infer(u, withInput({ data: new Array(783).fill(0) })),
  },
  {
    name: 'unknown input name',
    status: 422,
    mentions: /"image".*"input"/,
    run: (u) => infer(u, withInput({ name: 'image' })),
  },
  { name: 'batch over the limit', status: 422, mentions: /1\.\.4/, run: (u) => infer(u, inferBody([1, 28, 28], 5)) },
  {
    name: 'unknown layer',
    status: 422,
    mentions: /conv9.*conv1/,
    run: (u) => infer(u, inferBody([1, 28, 28], 1, { parameters: { activations: 'stats', layers: ['conv9'] } })),
  },
  {
    name: 'bad activations mode',
    status: 400,
    run: (u) => infer(u, inferBody([1, 28, 28], 1, { parameters: { activations: 'most' } })),
  },
  {
    name: 'infer body not JSON',
    status: 415,
    run: (u) =>
      call(`${u}/v2/models/gray/infer`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }),
  },
  {
    name: 'oversized JSON body',
    status: 413,
    mentions: /limit/,
    run: (u) => infer(u, { inputs: [], pad: 'x'.repeat(300 << 10) }),
  },
  {
    name: 'non-image bytes as image/png',
    status: 415,
    mentions: /neither PNG nor JPEG/,
    run: (u) => classify(u, Buffer.from('GIF89a this is not a png at all')),
  },
  {
    name: 'text/plain to classify',
    status: 415,
    mentions: /image\/png/,
    run: (u) =>
      call(`${u}/v1/models/gray/classify`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      }),
  },
  { name: 'truncated PNG', status: 422, mentions: /decode/, run: async (u) => classify(u, await truncatedPng()) },
  {
    name: 'giant dimensions (100000×100000 header)',
    status: 422,
    mentions: /100000×100000/,
    run: async (u) => classify(u, await giantPng(100000, 100000)),
  },
  {
    name: 'JPEG header then garbage',
    status: 422,
    run: (u) => classify(u, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]), 'image/jpeg'),
  },
  { name: 'empty image body', status: 400, run: (u) => classify(u, new Uint8Array(0)) },
  { name: 'oversized raw image', status: 413, run: async (u) => classify(u, await bigPng()) },
  {
    name: 'oversized multipart image',
    status: 413,
    run: async (u) => postMultipart(`${u}/v1/models/gray/classify`, 'image', await bigPng()),
  },
  {
    name: 'multipart without field "image"',
    status: 400,
    mentions: /image/,
    run: async (u) => postMultipart(`${u}/v1/models/gray/classify`, 'photo', await pngImage(28, 28, 1)),
  },
  {
    name: 'bad top',
    status: 400,
    run: async (u) => postImage(`${u}/v1/models/gray/classify?top=99`, await pngImage(28, 28, 1)),
  },
  {
    name: 'unknown model',
    status: 404,
    mentions: /unknown model "nope".*default, gray/,
    run: (u) => call(`${u}/v2/models/nope`),
  },
  { name: 'unknown route', status: 404, run: (u) => call(`${u}/v3/anything`) },
  {
    name: 'path traversal in a model name',
    status: 400,
    mentions: /invalid model name/,
    run: (u) => postJson(`${u}/v2/models/..%2F..%2F..%2Fetc%2Fpasswd/infer`, inferBody([1, 28, 28])),
  },
  // Raw paths: fetch would resolve the dot segments before sending.
  { name: 'dot-dot model name', status: 400, run: (u) => rawGet(u, '/v2/models/%2e%2e') },
  { name: 'raw ../ segments', status: 404, run: (u) => rawGet(u, '/v2/models/../../../etc/passwd') },
  { name: 'undecodable %-escape in a name', status: 400, run: (u) => rawGet(u, '/v2/models/%E0%A4%A') },
  { name: 'raw ../ in a page path', status: 404, run: (u) => rawGet(u, '/page/../../package.json') },
  {
    name: 'traversal to classify',
    status: 400,
    run: async (u) => postImage(`${u}/v1/models/..%2Fgray/classify`, await pngImage(28, 28, 1)),
  },
  { name: 'traversal in a page file', status: 404, run: (u) => call(`${u}/page/..%2F..%2Fpackage.json`) },
  { name: 'traversal in an onnxruntime file', status: 404, run: (u) => call(`${u}/ort/..%2Fpackage.json`) },
];

describe('bad input', () => {
  it.each(cases)('$name → $status', async ({ run, status, mentions }) => {
    expectCleanError(await run(server.url), status, mentions);
    // Still serving: health and a real inference.
    expect((await call(`${server.url}/v2/health/live`)).status).toBe(200);
    expect((await infer(server.url, inferBody([1, 28, 28]))).status).toBe(200);
  });

  it('logged no 500s', () => {
    expect(server.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
