/**
 * POST /v2/models/{name}/infer answered at the node:http level, ahead of express: the hot route of a model
 * server, where express' router, body-parser and JSON.parse of every tensor value cost several times the
 * inference itself. It answers only plain requests: a literal model name, `Content-Type:
 * application/json` (utf-8), a Content-Length within the limit, no Content-Encoding, an accepted token (when
 * one is set) and a served model. Everything else is left untouched for the express route, which answers
 * it as before (401, 404, 413, 415, gzip bodies, …). What it answers gets what every express answer gets:
 * the security headers, x-request-id, one request log line, the request metrics, and errors as
 * `{ error }` through the same mapping as the error middleware.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../errors.js';
import { errorAnswer } from '../http/error-handler.js';
import { setSecurityHeaders, tokenCheck } from '../http/guard.js';
import { assignRequestId, requestLine, type Logger } from '../http/log.js';
import { recordRequest, type ServeMetrics } from '../http/metrics.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ServedModel } from '../models/served-model.js';
import { inferAnswer } from './infer-answer.js';
import { parseInferJson } from './infer-json.js';
import { parseInferRequest } from './infer-request.js';

/** The route labels of the express routes, so metrics and logs do not tell the two paths apart. */
export const INFER_ROUTE = '/v2/models/:name/infer';
export const VERSIONED_INFER_ROUTE = '/v2/models/:name/versions/:version/infer';
/** Names that need no %-decoding (registry.ts' MODEL_NAME), optionally version "1"; anything else goes to express. */
const INFER_PATH = /^(\/v2\/models\/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})(\/versions\/1)?\/infer)(?:\?|$)/;
const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export interface FastPathOptions {
  registry: ModelRegistry;
  token: string | undefined;
  log: Logger;
  metrics: ServeMetrics;
  maxJsonBytes: number;
  maxBatchImages: number;
}

/** Returns true when it took the request, false (nothing read, nothing written) when express should. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

export function inferFastPath(o: FastPathOptions): FastPath {
  const refused = tokenCheck(o.token);
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const m = INFER_PATH.exec(req.url ?? '');
    if (!m) return false;
    const h = req.headers;
    if (
      !JSON_TYPE.test(h['content-type'] ?? '') ||
      h['content-encoding'] !== undefined ||
      h['transfer-encoding'] !== undefined
    )
      return false;
    const length = Number(h['content-length'] ?? NaN);
    if (!Number.isInteger(length) || length > o.maxJsonBytes || refused(h.authorization)) return false;
    let model: ServedModel;
    try {
      model = o.registry.get(m[2]);
    } catch {
      return false;
    }
    answer(o, req, res, model, m[1], m[3] ? VERSIONED_INFER_ROUTE : INFER_ROUTE, length);
    return true;
  };
}

function answer(
  o: FastPathOptions,
  req: IncomingMessage,
  res: ServerResponse,
  model: ServedModel,
  path: string,
  route: string,
  length: number,
): void {
  const start = performance.now();
  setSecurityHeaders(res);
  const id = assignRequestId(req, res);
  let error: string | undefined;
  res.on('finish', () => {
    o.log(requestLine(req, res, id, start, path, route, error));
    recordRequest(o.metrics, 'POST', route, res.statusCode, (performance.now() - start) / 1000);
  });
  readBody(req, length)
    .then((bytes) => {
      const fast = parseInferJson(bytes);
      const q = parseInferRequest(fast ? fast.json : parseJsonBody(bytes), model, o.maxBatchImages, fast?.inputData);
      return inferAnswer(model, q);
    })
    .then(
      (body) => sendJson(res, 200, body),
      (err: unknown) => {
        const a = errorAnswer(err, o.log, req.method, path);
        if (a.status < 500) error = a.error;
        sendJson(res, a.status, { error: a.error });
      },
    );
}

function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
    });
    req.on('end', () => {
      if (got !== length) reject(badRequest(`request body has ${got} bytes, Content-Length said ${length}`));
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, got));
    });
    req.on('error', (err) => reject(badRequest(`request body: ${err.message}`)));
  });
}

/** What express.json (strict) makes of a body parseInferJson left alone: {} when empty, else JSON.parse. */
function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  const text = bytes.toString('utf8');
  const first = /^[ \t\n\r]*(.?)/.exec(text)?.[1] ?? '';
  if (first !== '{' && first !== '[')
    throw badRequest(`malformed JSON body: it must be an object or an array, not ${JSON.stringify(text.slice(0, 20))}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`malformed JSON body: ${(err as Error).message}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
