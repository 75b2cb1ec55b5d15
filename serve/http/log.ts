/** Structured logs: one JSON object per line (request lines on response finish, plus startup and errors). */
import { randomUUID } from 'node:crypto';
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

export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = performance.now();
    const header = req.get('x-request-id');
    // A client's id is echoed (bounded, printable) so its logs and ours join up; otherwise we make one.
    const id = header && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', id);
    res.on('finish', () => {
      log({
        level: res.statusCode >= 500 ? 'error' : 'info',
        msg: 'request',
        id,
        method: req.method,
        path: req.path,
        route: routeLabel(req),
        status: res.statusCode,
        ms: Math.round((performance.now() - start) * 100) / 100,
        bytesIn: Number(req.get('content-length') ?? 0),
        bytesOut: Number(res.getHeader('content-length') ?? 0),
        remote: req.socket.remoteAddress,
        ...(typeof res.locals.error === 'string' ? { error: res.locals.error } : {}),
      });
    });
    next();
  };
}
