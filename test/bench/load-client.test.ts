/** The bench's lean load client against a real loopback server: framing, status counting and the count bound. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveLoad } from './load-client.js';

describe('lean load client', () => {
  let server: Server;
  let port = 0;
  const seen: string[] = [];
  beforeAll(async () => {
    let n = 0;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => {
          seen.push(Buffer.concat(chunks).toString());
          // Every third answer is a 500; bodies of different sizes, sometimes in two writes, test the framing.
          const status = ++n % 3 === 0 ? 500 : 200;
          const body = JSON.stringify({ n, pad: 'x'.repeat(n % 7 === 0 ? 70_000 : n % 5) });
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.write(body.slice(0, 10));
          res.end(body.slice(10));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends exactly `count` requests, counts 2xx as latencies and the rest as errors', async () => {
    const r = await driveLoad(port, '/v2/models/default/infer', '{"inputs":[]}', 4, 90, 30_000);
    expect(r.sent).toBe(90);
    expect(r.latencies.length + r.errors).toBe(90);
    expect(r.errors).toBe(30);
    expect(seen.slice(-90).every((b) => b === '{"inputs":[]}')).toBe(true);
    expect(Math.min(...r.latencies)).toBeGreaterThan(0);
  });

  it('stops at the time limit when nothing listens (nothing sent, nothing answered)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await driveLoad(deadPort, '/', '{}', 2, 1_000_000, 300);
    expect(r.latencies.length).toBe(0);
    expect(r.sent).toBe(0);
  });
});
