/**
 * The browser page and what it loads: its own files from serve/page/, onnxruntime-web's module and wasm
 * files straight from node_modules (a fixed whitelist of names, so no path ever comes from the URL), and the
 * model bytes (behind the token, like every model route).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import { Router } from 'express';
import { notFound } from '../errors.js';
import type { ModelRegistry } from '../models/registry.js';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'page');
const PAGE_FILES = new Set(['index.html', 'app.js', 'render.js', 'preprocess.js', 'channel-stats.js', 'style.css']);
const ORT_DIR = dirname(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
const ORT_FILES = new Set(readdirSync(ORT_DIR).filter((f) => /^ort[\w.-]*\.(mjs|wasm)$/.test(f)));

/** Public: static files only, no model data. */
export function pageRoutes(): Router {
  const r = Router();
  const cache = { maxAge: '1h', immutable: false };
  r.get('/', (_req, res) => res.sendFile(join(PAGE_DIR, 'index.html')));
  r.get('/page/:file', (req, res) => {
    if (!PAGE_FILES.has(req.params.file)) throw notFound(`no page file ${req.params.file}`);
    res.sendFile(join(PAGE_DIR, req.params.file));
  });
  r.get('/ort/:file', (req, res) => {
    if (!ORT_FILES.has(req.params.file)) throw notFound(`no onnxruntime-web file ${req.params.file}`);
    res.sendFile(join(ORT_DIR, req.params.file), cache);
  });
  return r;
}

/** Behind the token: the ONNX bytes the page runs (the model with its probe-able layers as extra outputs). */
export function modelFileRoutes(registry: ModelRegistry): Router {
  const r = Router();
  r.get('/v1/models/:name/model.onnx', (req, res) => {
    const bytes = registry.get(req.params.name).activations.browserModel();
    res.type('application/octet-stream').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
  return r;
}
