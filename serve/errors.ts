/**
 * The one error type routes throw for bad requests. Anything else reaching the error middleware is a bug and
 * becomes a logged 500; the status lives on the error so handlers never write responses for failures.
 */
export type ClientStatus = 400 | 401 | 404 | 413 | 415 | 422 | 503;

export class HttpError extends Error {
  constructor(
    readonly status: ClientStatus,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (m: string): HttpError => new HttpError(400, m);
export const notFound = (m: string): HttpError => new HttpError(404, m);
export const unprocessable = (m: string): HttpError => new HttpError(422, m);
export const unsupportedMedia = (m: string): HttpError => new HttpError(415, m);
/** A model found on disk that could not be loaded (truncated, not ONNX): the others are still served. */
export const unavailable = (m: string): HttpError => new HttpError(503, m);
