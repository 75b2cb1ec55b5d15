/**
 * A lean HTTP/1.1 load client for the loopback server bench: `concurrency` keep-alive connections, each with one
 * request in flight (no pipelining), the request bytes built once, and only as much of each answer parsed as it
 * takes to find its end (status line, Content-Length, body). node:http's client costs ≈ 75 µs of CPU per request
 * here, on the same 2 cores the server needs; this one a fraction of that, so the figure measures the server
 * rather than the client (what wrk or autocannon do for other servers).
 * Answers must be `Content-Length`-framed (every answer of serve/ is); chunked answers fail loudly.
 */
import { connect, type Socket } from 'node:net';

export interface LoadResult {
  reqPerSec: number;
  /** Latency of each answered 2xx request, ms. */
  latencies: number[];
  /** Non-2xx answers, socket errors and malformed answers. */
  errors: number;
  sent: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Keeps `concurrency` POSTs of `body` to `path` in flight until `count` were sent or `ms` elapsed. */
export async function driveLoad(
  port: number,
  path: string,
  body: string | Uint8Array,
  concurrency: number,
  count: number,
  ms: number,
  contentType = 'application/json',
): Promise<LoadResult> {
  const payload = Buffer.from(body);
  const request = Buffer.concat([
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\nConnection: keep-alive\r\n\r\n`,
    ),
    payload,
  ]);
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const start = performance.now();
  const more = (): boolean => sent < count && performance.now() - start < ms;

  const connection = (): Promise<void> =>
    new Promise((resolve) => {
      const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
      let pending: Buffer = Buffer.alloc(0);
      let t0 = 0;
      let inFlight = false;
      const next = (): void => {
        if (!more()) {
          socket.end();
          return;
        }
        sent++;
        inFlight = true;
        t0 = performance.now();
        socket.write(request);
      };
      socket.on('connect', next);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const headerEnd = pending.indexOf(HEADER_END);
        if (headerEnd < 0) return;
        const head = pending.toString('latin1', 0, headerEnd);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (length === null) {
          errors++;
          socket.destroy(new Error(`answer without Content-Length: ${head.split('\r\n')[0]}`));
          return;
        }
        const total = headerEnd + HEADER_END.length + Number(length[1]);
        if (pending.length < total) return;
        const ok = head.startsWith('HTTP/1.1 2');
        if (ok) latencies.push(performance.now() - t0);
        else errors++;
        inFlight = false;
        pending = pending.subarray(total);
        next();
      });
      socket.on('error', () => {
        if (inFlight) errors++;
        inFlight = false;
      });
      socket.on('close', () => {
        if (inFlight) errors++;
        resolve();
      });
    });

  // A connection the server closed early is replaced while there is work left.
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) await connection();
    }),
  );
  return { reqPerSec: (latencies.length + errors) / ((performance.now() - start) / 1000), latencies, errors, sent };
}
