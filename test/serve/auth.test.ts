/** --token: Bearer required on model routes; health and the static page stay open. Bind refusal rule. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindRefusal } from '../../serve/index.js';
import { GRAY, makeRunFolder, tempDir } from './fixtures.js';
import { call, expectCleanError, inferBody, postJson, startServer, type TestServer } from './helpers.js';

let root: string;
let server: TestServer;
const TOKEN = 's3cret-token';

beforeAll(async () => {
  root = await tempDir('auth');
  await makeRunFolder(join(root, 'gray'), GRAY);
  server = await startServer({ models: join(root, 'gray'), token: TOKEN });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('bearer token', () => {
  it.each(['/v2/models/gray', '/v1/models/gray/model.onnx', '/metrics', '/v2/models/nope'])(
    '%s needs the token',
    async (path) => {
      const r = await call(`${server.url}${path}`);
      expectCleanError(r, 401, /Authorization: Bearer/);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expectCleanError(
        await call(`${server.url}${path}`, { headers: { authorization: 'Bearer wrong' } }),
        401,
        /invalid bearer token/,
      );
    },
  );

  it('accepts the right token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await call(`${server.url}/v2/models/gray`, { headers: auth })).status).toBe(200);
    expect((await postJson(`${server.url}/v2/models/gray/infer`, inferBody([1, 28, 28]), auth)).status).toBe(200);
  });

  it.each(['/v2/health/live', '/v2/health/ready', '/', '/page/app.js'])('%s stays open', async (path) => {
    expect((await call(`${server.url}${path}`)).status).toBe(200);
  });
});

describe('bindRefusal', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1'])('%s is fine without a token', (host) =>
    expect(bindRefusal(host, undefined)).toBeNull(),
  );
  it.each(['0.0.0.0', '::', '192.168.1.4', 'example.com'])('%s needs a token', (host) => {
    expect(bindRefusal(host, undefined)).toMatch(/without --token/);
    expect(bindRefusal(host, 't')).toBeNull();
  });
});
