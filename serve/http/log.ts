/** Structured logs: one JSON object per line (request lines on response finish, plus startup and errors). */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { routeLabel } from './metrics.js';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

export type Logger = (entry: LogEntry) => void;

let pending: string[] = [];

/** Writes what jsonLogger buffered; stdout to a pipe or file is a blocking write on Linux. */
export function flushLogs(): void {
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  process.stdout.write(text);
}

/** JSON lines on stdout, written once per event-loop turn rather than one syscall per request. */
export const jsonLogger: Logger = (entry) => {
  if (pending.length === 0) setImmediate(flushLogs);
  pending.push(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  if (entry.level === 'error') flushLogs();
};

/** Sets `x-request-id`: a client's id is echoed (bounded, printable) so its logs and ours join up; otherwise we make one. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** The request line, written once the answer is sent (by the express middleware below and the infer fast path). */
export function requestLine(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  start: number,
  path: string,
  route: string,
  error: unknown,
): LogEntry {
  return {
    level: res.statusCode >= 500 ? 'error' : 'info',
    msg: 'request',
    id,
    method: req.method,
    path,
    route,
    status: res.statusCode,
    ms: Math.round((performance.now() - start) * 100) / 100,
    bytesIn: Number(req.headers['content-length'] ?? 0),
    bytesOut: Number(res.getHeader('content-length') ?? 0),
    remote: req.socket.remoteAddress,
    ...(typeof error === 'string' ? { error } : {}),
  };
}

export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = performance.now();
    const id = assignRequestId(req, res);
    res.on('finish', () => log(requestLine(req, res, id, start, req.path, routeLabel(req), res.locals.error)));
    next();
  };
}
