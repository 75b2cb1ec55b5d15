/** Every route once, table-driven, over real HTTP on 127.0.0.1:0 (folder of two runs: gray and rgb). */
import { rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAY, RGB, jpegImage, makeRunFolder, pngImage, tempDir } from './fixtures.js';
import {
  call,
  inferBody,
  numbers,
  postImage,
  postJson,
  postMultipart,
  startServer,
  type Reply,
  type TestServer,
} from './helpers.js';

let root: string;
let server: TestServer;
let png28: Buffer;

beforeAll(async () => {
  root = await tempDir('routes');
  await makeRunFolder(join(root, 'gray'), GRAY);
  await makeRunFolder(join(root, 'rgb'), RGB);
  // gray is the newest, so `default` points at it.
  await utimes(join(root, 'rgb', 'model.onnx'), new Date(1e12), new Date(1e12));
  png28 = await pngImage(28, 28, 1);
  server = await startServer({ models: root });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const output = (r: Reply, name: string) =>
  (r.json.outputs as Array<{ name: string; shape: number[]; data: number[] }>).find((o) => o.name === name)!;

interface Case {
  name: string;
  run: (url: string) => Promise<Reply>;
  check: (r: Reply) => void;
}

const cases: Case[] = [
  {
    name: 'GET /v2/health/live',
    run: (u) => call(`${u}/v2/health/live`),
    check: (r) => expect(r.json).toEqual({ live: true }),
  },
  {
    name: 'GET /v2/health/ready',
    run: (u) => call(`${u}/v2/health/ready`),
    check: (r) => expect(r.json).toEqual({ ready: true }),
  },
  {
    name: 'GET /v2 (server metadata)',
    run: (u) => call(`${u}/v2`),
    check: (r) => expect(r.json.name).toBe('actprobe'),
  },
  {
    name: 'GET /v2/models/default → gray, with layers',
    run: (u) => call(`${u}/v2/models/default`),
    check: (r) => {
      expect(r.json).toMatchObject({
        name: 'gray',
        aliases: ['default'],
        inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 1, 28, 28] }],
        outputs: [{ name: 'probabilities', shape: [-1, 10] }],
      });
      expect((r.json.layers as Array<{ name: string }>).map((l) => l.name)).toEqual(['conv1', 'pool1', 'conv2', 'gap']);
      expect(r.json.preprocessing).toEqual(GRAY.preprocessing);
    },
  },
  {
    name: 'GET /v2/models/rgb/ready',
    run: (u) => call(`${u}/v2/models/rgb/ready`),
    check: (r) => expect(r.json).toEqual({ name: 'rgb', ready: true }),
  },
  {
    name: 'POST infer, no activations',
    run: (u) => postJson(`${u}/v2/models/gray/infer`, inferBody([1, 28, 28], 1, { id: 'req-1' })),
    check: (r) => {
      expect(r.json).toMatchObject({ model_name: 'gray', id: 'req-1' });
      const p = output(r, 'probabilities');
      expect(p.shape).toEqual([1, 10]);
      expect(sum(p.data)).toBeCloseTo(1, 5);
    },
  },
  {
    name: 'POST infer, batch of 3 as nested arrays',
    run: (u) => {
      const body = inferBody([3, 16, 12], 3);
      const flat = body.inputs[0].data;
      const nested = Array.from({ length: 3 }, (_, n) =>
        Array.from({ length: 3 }, (_, c) =>
          Array.from({ length: 16 }, (_, y) =>
            flat.slice(((n * 3 + c) * 16 + y) * 12, ((n * 3 + c) * 16 + y + 1) * 12),
          ),
        ),
      );
      return postJson(`${u}/v2/models/rgb/infer`, { inputs: [{ ...body.inputs[0], data: nested }] });
    },
    check: (r) => expect(output(r, 'probabilities').shape).toEqual([3, 4]),
  },
  {
    name: 'POST infer, stats of conv1',
    run: (u) =>
      postJson(
        `${u}/v2/models/gray/infer`,
        inferBody([1, 28, 28], 2, { parameters: { activations: 'stats', layers: ['conv1'] } }),
      ),
    check: (r) => {
      const [l] = r.json.activations as Array<{
        name: string;
        op: string;
        shape: number[];
        channels: Record<string, number[]>;
      }>;
      expect(l).toMatchObject({ name: 'conv1', op: 'Relu', shape: [1, 8, 28, 28] });
      for (const k of ['min', 'max', 'mean', 'std', 'zeroFraction']) expect(l.channels[k]).toHaveLength(8);
      expect(Math.min(...l.channels.min)).toBeGreaterThanOrEqual(0); // after ReLU
    },
  },
  {
    name: 'POST infer, full maps are output tensors',
    run: (u) =>
      postJson(
        `${u}/v2/models/gray/infer`,
        inferBody([1, 28, 28], 1, { parameters: { activations: 'full', layers: ['conv2', 'gap'] } }),
      ),
    check: (r) => {
      expect(output(r, 'conv2').shape).toEqual([1, 16, 14, 14]);
      expect(output(r, 'gap').data).toHaveLength(16);
    },
  },
  {
    name: 'POST classify, raw PNG',
    run: (u) => postImage(`${u}/v1/models/gray/classify`, png28),
    check: (r) => {
      expect(r.json).toMatchObject({ model: 'gray', image: { width: 28, height: 28, format: 'png' } });
      const top = r.json.top as Array<{ label: string; score: number }>;
      expect(top).toHaveLength(5);
      expect(GRAY.labels).toContain(top[0].label);
      expect(sum(numbers(r.json.probabilities))).toBeCloseTo(1, 5);
      expect((r.json.activations as unknown[]).length).toBe(4);
    },
  },
  {
    name: 'POST classify, JPEG resized to 16×12, top 2, full maps of conv1',
    run: async (u) =>
      postImage(
        `${u}/v1/models/rgb/classify?top=2&activations=full&layers=conv1`,
        await jpegImage(40, 30),
        'image/jpeg',
      ),
    check: (r) => {
      expect(r.json.top).toHaveLength(2);
      const [l] = r.json.activations as Array<{ maps: number[][] }>;
      expect(l.maps).toHaveLength(8);
      expect(l.maps[0]).toHaveLength(16 * 12);
    },
  },
  {
    name: 'GET /metrics',
    run: (u) => call(`${u}/metrics`),
    check: (r) => {
      expect(r.text).toMatch(
        /actprobe_http_requests_total\{method="POST",route="\/v2\/models\/:name\/infer",status="200"\} \d+/,
      );
      expect(r.text).toMatch(/actprobe_inference_duration_seconds_count\{model="gray",kind="plain"\} \d+/);
    },
  },
  {
    name: 'GET / is cross-origin isolated',
    run: (u) => call(`${u}/`),
    check: (r) => {
      expect(r.text).toContain('<title>actprobe');
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    },
  },
  {
    name: 'GET /ort/ort-wasm-simd-threaded.wasm',
    run: (u) => call(`${u}/ort/ort-wasm-simd-threaded.wasm`),
    check: (r) => expect(r.headers.get('content-type')).toBe('application/wasm'),
  },
  {
    name: 'GET /v1/models/gray/model.onnx',
    run: (u) => call(`${u}/v1/models/gray/model.onnx`),
    check: (r) => expect(r.text.length).toBeGreaterThan(1000),
  },
];

describe('routes', () => {
  it.each(cases)('$name', async ({ run, check }) => {
    const r = await run(server.url);
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    check(r);
  });

  it('multipart and raw bodies give the same answer', async () => {
    const raw = await postImage(`${server.url}/v1/models/gray/classify?activations=none`, png28);
    const form = await postMultipart(`${server.url}/v1/models/gray/classify?activations=none`, 'image', png28);
    expect(form.status).toBe(200);
    expect(form.json.probabilities).toEqual(raw.json.probabilities);
  });

  it('logs one structured line per request, and no errors', () => {
    const requests = server.logs.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(cases.length);
    expect(requests[0]).toMatchObject({ level: 'info', method: 'GET', status: 200, route: '/v2/health/live' });
    expect(typeof requests[0].ms).toBe('number');
    expect(server.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
