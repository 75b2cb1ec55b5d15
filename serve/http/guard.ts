/**
 * Bearer-token check and response headers every route shares. COOP/COEP make the page cross-origin
 * isolated, which onnxruntime-web needs for wasm threads (without it, it silently runs one thread).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../errors.js';

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Without a token every request passes (loopback only, enforced by the CLI); with one, Bearer is required. */
export function requireToken(token: string | undefined) {
  const want = token ? digest(token) : null;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!want) return next();
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    // Hashing first makes the comparison constant-time whatever the lengths.
    if (m && timingSafeEqual(digest(m[1].trim()), want)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer');
    next(new HttpError(401, m ? 'invalid bearer token' : 'missing Authorization: Bearer <token> header'));
  };
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost|\[::1\])$/;

/** The CLI refuses to listen beyond loopback without a token; returns the reason or null. */
export function bindRefusal(host: string, token: string | undefined): string | null {
  if (LOOPBACK.test(host) || token) return null;
  return `refusing to listen on ${host} without --token: anyone who can reach it could use the models; pass --token T (clients send Authorization: Bearer T) or use --host 127.0.0.1`;
}
