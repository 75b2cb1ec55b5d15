/**
 * The infer fast path takes exactly the plain requests and leaves the rest to express, and a request answered
 * either way gets the same answer, headers, log line and metrics.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LogEntry, type ServeApp } from '../../serve/index.js';
import { inferFastPath } from '../../serve/routes/infer-fast-path.js';
import { GRAY, makeRunFolder, tempDir } from './fixtures.js';
import { inferBody } from './helpers.js';

const TOKEN = 'fast-path-token';
let root: string;
let serve: ServeApp;
let server: Server;
let port: number;
const logs: LogEntry[] = [];
/** Per request, in order: whether the fast path took it. */
const taken: boolean[] = [];

beforeAll(async () => {
  root = await tempDir('fast-path');
  await makeRunFolder(join(root, 'gray'), GRAY);
  serve = await createApp({
    models: join(root, 'gray'),
    token: TOKEN,
    maxJsonBytes: 64 << 10,
    log: (e) => logs.push(e),
  });
  const fast = inferFastPath({
    registry: serve.models,
    token: TOKEN,
    log: (e) => logs.push(e),
    metrics: serve.metrics,
    maxJsonBytes: 64 << 10,
    maxBatchImages: 64,
  });
  server = createServer((req, res) => {
    taken.push(fast(req, res));
    if (!taken.at(-1)) serve.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await serve?.close();
  await rm(root, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  json: Record<string, unknown>;
}

/** node:http so Content-Length / chunked / encodings are exactly what the case says. */
function post(path: string, body: Buffer, headers: Record<string, string | number>, chunked = false): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: chunked ? headers : { 'content-length': body.length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              json: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
            }),
          );
      },
    );
    req.on('error', reject);
    if (chunked) {
      req.write(body.subarray(0, 100));
      req.end(body.subarray(100));
    } else req.end(body);
  });
}

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { 'content-type': 'application/json', ...auth };
const body = Buffer.from(JSON.stringify(inferBody([1, 28, 28], 1, { id: 'same' })));
const probabilities = (r: Raw) => (r.json.outputs as Array<{ data: number[] }>)[0].data;

describe('infer fast path', () => {
  it('answers a plain request like express answers a chunked or gzipped one', async () => {
    const fast = await post('/v2/models/gray/infer', body, json);
    const chunked = await post('/v2/models/gray/infer', body, json, true);
    const gzip = await post('/v2/models/default/infer', gzipSync(body), { ...json, 'content-encoding': 'gzip' });
    expect(taken.slice(-3)).toEqual([true, false, false]);
    for (const r of [fast, chunked, gzip]) {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.json).toMatchObject({ model_name: 'gray', model_version: '1', id: 'same' });
    }
    expect(probabilities(fast)).toEqual(probabilities(chunked));
    expect(probabilities(fast)).toEqual(probabilities(gzip));
    const lines = logs.filter((l) => l.msg === 'request').slice(-3);
    for (const l of lines)
      expect(l).toMatchObject({
        method: 'POST',
        bytesIn: expect.any(Number),
        bytesOut: expect.any(Number),
        remote: '127.0.0.1',
      });
    expect(lines[0].bytesIn).toBe(body.length);
    expect(lines[0].bytesOut).toBeGreaterThan(100);
    expect(lines.map((l) => [l.route, l.status, l.path])).toEqual([
      ['/v2/models/:name/infer', 200, '/v2/models/gray/infer'],
      ['/v2/models/:name/infer', 200, '/v2/models/gray/infer'],
      ['/v2/models/:name/infer', 200, '/v2/models/default/infer'],
    ]);
    expect(await serve.metrics.registry.getSingleMetricAsString('actprobe_http_requests_total')).toMatch(
      /route="\/v2\/models\/:name\/infer",status="200"\} 3/,
    );
  });

  it.each([
    ['no token', { 'content-type': 'application/json' }, '/v2/models/gray/infer', 401],
    ['text/plain', { 'content-type': 'text/plain', ...auth }, '/v2/models/gray/infer', 415],
    ['latin1 charset', { 'content-type': 'application/json; charset=latin1', ...auth }, '/v2/models/gray/infer', 415],
    ['unknown model', json, '/v2/models/nope/infer', 404],
    ['%-escaped name', json, '/v2/models/..%2Fgray/infer', 400],
  ])('leaves %s to express (→ %i)', async (_name, headers, path, status) => {
    const r = await post(path, body, headers);
    expect(taken.at(-1)).toBe(false);
    expect(r.status).toBe(status);
    expect(typeof r.json.error).toBe('string');
  });

  it('leaves a body over the limit to express (413)', async () => {
    const big = Buffer.from(JSON.stringify({ inputs: [], pad: 'x'.repeat(70 << 10) }));
    const r = await post('/v2/models/gray/infer', big, json);
    expect(taken.at(-1)).toBe(false);
    expect(r.status).toBe(413);
  });

  it.each([
    ['malformed JSON', '{"inputs": [', 400, /malformed JSON/],
    ['a JSON string', '"inputs"', 400, /malformed JSON/],
    ['an empty body', '', 400, /inputs/],
    ['an escape, so JSON.parse decides', JSON.stringify(inferBody([1, 28, 28], 1, { id: 'a"b' })), 200, null],
    [
      'a string in data',
      JSON.stringify({ inputs: [{ ...inferBody([1, 28, 28]).inputs[0], data: ['a'] }] }),
      400,
      /only numbers/,
    ],
    [
      'short data',
      JSON.stringify({ inputs: [{ ...inferBody([1, 28, 28]).inputs[0], data: [1, 2] }] }),
      422,
      /2 values/,
    ],
  ])('answers %s itself (→ %i)', async (_name, text, status, mentions) => {
    const r = await post('/v2/models/gray/infer', Buffer.from(text), json);
    expect(taken.at(-1)).toBe(true);
    expect(r.status).toBe(status);
    if (mentions) expect(r.json.error).toMatch(mentions);
    if (status !== 200)
      expect(logs.filter((l) => l.msg === 'request').at(-1)).toMatchObject({ status, error: r.json.error });
  });
});
