/**
 * Bearer-token check and response headers every route shares. COOP/COEP make the page cross-origin
 * isolated, which onnxruntime-web needs for wasm threads (without it, it silently runs one thread).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../errors.js';

/** The headers of every answer (express middleware below, and the infer fast path). */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  setSecurityHeaders(res);
  next();
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** `Authorization` header → the 401 to answer, or null when it passes (always, without a token). */
export function tokenCheck(token: string | undefined): (authorization: string | undefined) => HttpError | null {
  const want = token ? digest(token) : null;
  return (authorization) => {
    if (!want) return null;
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    // Hashing first makes the comparison constant-time whatever the lengths.
    if (m && timingSafeEqual(digest(m[1].trim()), want)) return null;
    return new HttpError(401, m ? 'invalid bearer token' : 'missing Authorization: Bearer <token> header');
  };
}

/** Without a token every request passes (loopback only, enforced by the CLI); with one, Bearer is required. */
export function requireToken(token: string | undefined) {
  const check = tokenCheck(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    const refused = check(req.get('authorization'));
    if (!refused) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer');
    next(refused);
  };
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost|\[::1\])$/;

/** The CLI refuses to listen beyond loopback without a token; returns the reason or null. */
export function bindRefusal(host: string, token: string | undefined): string | null {
  if (LOOPBACK.test(host) || token) return null;
  return `refusing to listen on ${host} without --token: anyone who can reach it could use the models; pass --token T (clients send Authorization: Bearer T) or use --host 127.0.0.1`;
}
