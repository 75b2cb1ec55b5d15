/**
 * `createApp(options)`: loads the models under `options.models` and returns the express app without
 * listening (tests listen on port 0, the CLI on --port). Middleware order: headers, logs and metrics for
 * everything; public health and page routes; the token check; model routes; 404; the error middleware.
 */
import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { notFound } from './errors.js';
import { errorHandler } from './http/error-handler.js';
import { requireToken, securityHeaders } from './http/guard.js';
import { jsonLogger, requestLog, type Logger } from './http/log.js';
import { createMetrics, metricsMiddleware, type ServeMetrics } from './http/metrics.js';
import { loadRegistry, type ModelRegistry } from './models/registry.js';
import { addReferences, discoverModels } from './models/repository.js';
import { classifyRoutes } from './routes/classify.js';
import { inferFastPath } from './routes/infer-fast-path.js';
import { modelFileRoutes, pageRoutes } from './routes/page.js';
import { v2Routes } from './routes/v2.js';
import { runsRoutes } from './runs/routes.js';

export interface ServeOptions {
  /** A run folder, a folder of run folders, or a Triton-layout model repository (optional with `runs`). */
  models?: string;
  /** A folder of runs and sweeps to show live (`/runs`); see serve/runs/. */
  runs?: { root: string; pollMs?: number; stallSeconds?: number };
  /** When set, every route but health and the static page needs `Authorization: Bearer <token>`. */
  token?: string;
  /** JSON inference body limit (bytes); default 16 MiB. */
  maxJsonBytes?: number;
  /** Image upload limit (bytes); default 8 MiB. */
  maxImageBytes?: number;
  /** Decoded image size limit (pixels); default 25 M. */
  maxImagePixels?: number;
  /** Images per request and per merged run; default 64. */
  maxBatchImages?: number;
  /** Merge concurrent /infer requests into one onnxruntime run; default true (measured, see batcher.ts). */
  batching?: boolean;
  intraOpThreads?: number;
  /** Built-in reference cards to serve beside the models, under the card's name (e.g. the shipped squeezenet1.1). */
  references?: string[];
  log?: Logger;
}

export interface ServeApp {
  app: Express;
  /** What the HTTP server runs: plain /v2 infer requests on the fast path (routes/infer-fast-path.ts), the rest through `app`. */
  handler: RequestListener;
  models: ModelRegistry;
  metrics: ServeMetrics;
  /** Ends long-lived responses (live-page event streams) so the server can close. */
  drain(): void;
  /** Marks the app not ready (health/ready → 503) and releases the sessions; call after the server closed. */
  close(): Promise<void>;
}

export async function createApp(options: ServeOptions): Promise<ServeApp> {
  const log = options.log ?? jsonLogger;
  const maxBatchImages = options.maxBatchImages ?? 64;
  const metrics = createMetrics();
  if (!options.models && !options.runs && !options.references?.length)
    throw new Error('give --models DIR, --runs DIR or --reference CARD (any of them together)');
  const served = options.models
    ? await discoverModels(options.models)
    : { root: '', entries: [], defaultName: '', skipped: [] };
  const repo = await addReferences(served, options.references ?? []);
  for (const reason of repo.skipped) log({ level: 'warn', msg: 'model skipped', reason });
  const models = await loadRegistry(repo, {
    batching: options.batching ?? true,
    maxBatchImages,
    intraOpThreads: options.intraOpThreads,
    onRun: (model, kind, images, seconds) => {
      metrics.inference.observe({ model, kind }, seconds);
      metrics.batchImages.observe({ model, kind }, images);
    },
  });
  for (const b of models.broken)
    log({ level: 'error', msg: 'model not loaded', model: b.name, path: b.path, error: b.error });
  let ready = true;
  const maxJsonBytes = options.maxJsonBytes ?? 16 << 20;
  const app = express();
  app.disable('x-powered-by');
  // API answers are never revalidated; hashing every body for an ETag is wasted CPU per request.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(securityHeaders, requestLog(log), metricsMiddleware(metrics));
  app.get('/v2/health/live', (_req, res) => void res.json({ live: true }));
  // Ready while at least one model serves; models that failed to load are listed so a probe or operator sees them.
  app.get(
    '/v2/health/ready',
    (_req, res) =>
      void res.status(ready ? 200 : 503).json({
        ready,
        ...(models.broken.length ? { broken: models.broken.map(({ name, error }) => ({ name, error })) } : {}),
      }),
  );
  app.use(pageRoutes());
  app.use(requireToken(options.token));
  const runs = options.runs ? runsRoutes({ ...options.runs, log }) : null;
  if (runs) app.use(runs.router);
  app.use(v2Routes(models, { maxJsonBytes, maxBatchImages }, () => ready));
  app.use(
    classifyRoutes(models, {
      maxImageBytes: options.maxImageBytes ?? 8 << 20,
      maxImagePixels: options.maxImagePixels ?? 25_000_000,
    }),
  );
  app.use(modelFileRoutes(models));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use((req) => {
    throw notFound(`no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(log));
  log({ level: 'info', msg: 'models loaded', root: repo.root, models: models.names, default: models.defaultName });
  const fast = inferFastPath({ registry: models, token: options.token, log, metrics, maxJsonBytes, maxBatchImages });
  return {
    app,
    handler: (req, res) => {
      if (!fast(req, res)) app(req, res);
    },
    models,
    metrics,
    drain: () => runs?.closeStreams(),
    async close() {
      ready = false;
      await models.close();
    },
  };
}
