/**
 * The one error middleware: client mistakes (HttpError, body-parser and multer errors) become JSON
 * `{ error }` with their 4xx status; anything else is a bug, logged with its stack and answered with a
 * plain 500 that reveals nothing.
 */
import type { NextFunction, Request, Response } from 'express';
import { MulterError } from 'multer';
import { HttpError } from '../errors.js';
import type { Logger } from './log.js';

interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as { type?: unknown }).type === 'string' &&
  typeof (e as { status?: unknown }).status === 'number';

function clientError(err: unknown): { status: number; message: string } | null {
  if (err instanceof HttpError) return { status: err.status, message: err.message };
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE')
      return { status: 413, message: `multipart ${err.field ?? 'field'} is too large` };
    return {
      status: 400,
      message: `multipart: ${err.message}${err.field ? ` (field ${err.field})` : ''}; send the image in a field named "image"`,
    };
  }
  if (isBodyParserError(err)) {
    if (err.type === 'entity.too.large')
      return { status: 413, message: `request body exceeds the ${err.limit ?? ''} byte limit` };
    if (err.type === 'entity.parse.failed')
      return { status: 400, message: `malformed JSON body: ${(err as unknown as Error).message}` };
    if (err.status >= 400 && err.status < 500) return { status: err.status, message: `bad request body (${err.type})` };
  }
  // http-errors style (express' own, e.g. a URL whose %-escapes do not decode): 4xx marked safe to expose.
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose !== false) {
    return { status: e.status, message: typeof e.message === 'string' ? e.message : 'bad request' };
  }
  // Busboy (under multer) throws plain Errors for broken multipart framing.
  if (
    err instanceof Error &&
    /^(Unexpected end of form|Malformed part header|Multipart: Boundary not found)/.test(err.message)
  ) {
    return { status: 400, message: `malformed multipart body: ${err.message}` };
  }
  return null;
}

/** The answer to a failed request: a client error's status and message, or a logged 500 that reveals nothing. */
export function errorAnswer(
  err: unknown,
  log: Logger,
  method: string | undefined,
  path: string,
): { status: number; error: string } {
  const known = clientError(err);
  if (known) return { status: known.status, error: known.message };
  log({
    level: 'error',
    msg: 'unhandled error',
    method,
    path,
    error: String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  return { status: 500, error: 'internal server error (logged)' };
}

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, error } = errorAnswer(err, log, req.method, req.path);
    if (status < 500) res.locals.error = error; // for the request log line
    res.status(status).json({ error });
  };
}
