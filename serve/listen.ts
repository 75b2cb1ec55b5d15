/**
 * Listens and shuts down gracefully: `close()` stops accepting connections, lets requests in flight
 * finish (idle keep-alive sockets are closed at once), forces the rest after `graceMs`, then releases the
 * onnxruntime sessions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServeApp } from './app.js';

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(graceMs?: number): Promise<void>;
}

export async function listen(serve: ServeApp, host = '127.0.0.1', port = 0): Promise<RunningServer> {
  const server = createServer(serve.handler);
  // Slow-loris guard: a client gets 30 s to send its headers and body.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | null = null;
  return {
    server,
    port: addr.port,
    url: `http://${shownHost}:${addr.port}`,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        serve.drain();
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(force);
        await serve.close();
      })();
      return closing;
    },
  };
}
