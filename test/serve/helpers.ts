/** Test servers on 127.0.0.1:0 with captured logs, and small HTTP helpers over fetch. */
import { request } from 'node:http';
import { expect } from 'vitest';
import { createApp, listen, type LogEntry, type ServeOptions } from '../../serve/index.js';

export interface TestServer {
  url: string;
  logs: LogEntry[];
  app: Awaited<ReturnType<typeof createApp>>;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<TestServer> {
  const logs: LogEntry[] = [];
  const app = await createApp({ log: (e) => logs.push(e), ...options });
  const running = await listen(app, '127.0.0.1', 0);
  return { url: running.url, logs, app, close: () => running.close(1000) };
}

export interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
  text: string;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  if ((res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text) as Record<string, unknown>;
  return { status: res.status, headers: res.headers, json, text };
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
  call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export const postImage = (url: string, bytes: Uint8Array, type = 'image/png'): Promise<Reply> =>
  call(url, { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(bytes) });

export function postMultipart(url: string, field: string, bytes: Uint8Array, type = 'image/png'): Promise<Reply> {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), 'image.png');
  return call(url, { method: 'POST', body: form });
}

/** An OIP request for `images` images of [C, H, W], values from a fixed formula. */
export function inferBody(dims: readonly [number, number, number], images = 1, extra: Record<string, unknown> = {}) {
  const n = images * dims[0] * dims[1] * dims[2];
  const data = Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 1.5);
  return { inputs: [{ name: 'input', shape: [images, ...dims], datatype: 'FP32', data }], ...extra };
}

/** The error contract: JSON `{ error }` naming the problem, never a stack trace. */
export function expectCleanError(r: Reply, status: number, mentions?: RegExp): void {
  expect(r.status, r.text).toBe(status);
  expect(typeof r.json.error).toBe('string');
  expect(r.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  if (mentions) expect(r.json.error).toMatch(mentions);
}

export const numbers = (v: unknown): number[] => {
  expect(Array.isArray(v)).toBe(true);
  return v as number[];
};

/** GET with the path sent byte for byte (no URL normalisation), for path-traversal cases. */
export function rawGet(base: string, path: string): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const json = (res.headers['content-type'] ?? '').includes('json')
          ? (JSON.parse(text) as Record<string, unknown>)
          : {};
        resolve({
          status: res.statusCode ?? 0,
          headers: new Headers(res.headers as Record<string, string>),
          json,
          text,
        });
      });
    })
      .on('error', reject)
      .end();
  });
}
