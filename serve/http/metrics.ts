/**
 * Prometheus metrics on a registry of this app (not prom-client's global one, so several apps, e.g. in
 * tests, never clash). Routes are labelled by their pattern, not the URL, to keep label sets bounded.
 */
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServeMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  latency: Histogram<'method' | 'route'>;
  inference: Histogram<'model' | 'kind'>;
  batchImages: Histogram<'model' | 'kind'>;
}

export function createMetrics(): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'actprobe_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'actprobe_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    inference: new Histogram({
      name: 'actprobe_inference_duration_seconds',
      help: 'onnxruntime run time of one (possibly merged) batch; kind = plain | activations',
      labelNames: ['model', 'kind'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    batchImages: new Histogram({
      name: 'actprobe_inference_batch_images',
      help: 'Images per onnxruntime run (above 1 for plain runs: merged requests)',
      labelNames: ['model', 'kind'],
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
  };
}

/** The matched route pattern (e.g. /v2/models/:name/infer), or `unmatched` for 404s. */
export const routeLabel = (req: Request): string => {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? req.baseUrl + path : 'unmatched';
};

/** One answered request: counted, and its latency observed (express middleware below, and the infer fast path). */
export function recordRequest(m: ServeMetrics, method: string, route: string, status: number, seconds: number): void {
  m.latency.observe({ method, route }, seconds);
  m.requests.inc({ method, route, status: String(status) });
}

export function metricsMiddleware(m: ServeMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = performance.now();
    res.on('finish', () =>
      recordRequest(m, req.method, routeLabel(req), res.statusCode, (performance.now() - start) / 1000),
    );
    next();
  };
}
