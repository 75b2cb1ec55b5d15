/**
 * The browser alternative to the project's page: the same tfjs model run by tfjs' own wasm backend
 * (@tensorflow/tfjs-backend-wasm, SIMD + threads when the page is cross-origin isolated) in a plain page
 * served from loopback. Serves tf.min.js, the wasm backend, its .wasm files and the model (tfjs layers
 * format) with COOP/COEP headers, so tfjs gets the same threads the project's page gets.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const TFJS = join(dirname(require.resolve('@tensorflow/tfjs/package.json')), 'dist');
const WASM = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

/** Browser-side: loads the model on the wasm backend with `threads` threads, times `runs` predictions of one image. */
const PAGE = `<!doctype html><meta charset="utf-8"><script src="/tf.min.js"></script><script src="/tf-backend-wasm.min.js"></script>
<script>
window.bench = async (threads, runs, shape) => {
  tf.wasm.setWasmPaths('/wasm/');
  if (threads > 1) tf.wasm.setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend did not start');
  await tf.ready();
  const model = await tf.loadLayersModel('/model/model.json');
  const x = tf.fill(shape, 0.2);
  for (let i = 0; i < 10; i++) { const y = model.predict(x); await y.data(); y.dispose(); }
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const y = model.predict(x);
    await y.data();
    times.push(performance.now() - t);
    y.dispose();
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p10: times[Math.floor(runs / 10)], threads: tf.wasm.getThreadsCount(), backend: tf.getBackend(), isolated: self.crossOriginIsolated, version: tf.version.tfjs };
};
</script>`;

export interface TfjsPageServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the page and `model` (tfjs layers format) on 127.0.0.1, port 0. */
export async function serveTfjsPage(model: tf.LayersModel): Promise<TfjsPageServer> {
  let json = '';
  let weights = new Uint8Array();
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      const buffer = data instanceof ArrayBuffer ? data : tf.io.CompositeArrayBuffer.join(data ?? []);
      weights = new Uint8Array(buffer);
      json = JSON.stringify({
        format: 'layers-model',
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      });
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const files: Record<string, () => Promise<[string, Uint8Array | string]>> = {
    '/': async () => ['text/html', PAGE],
    '/tf.min.js': async () => ['text/javascript', await readFile(join(TFJS, 'tf.min.js'))],
    '/tf-backend-wasm.min.js': async () => ['text/javascript', await readFile(join(WASM, 'tf-backend-wasm.min.js'))],
    '/model/model.json': async () => ['application/json', json],
    '/model/weights.bin': async () => ['application/octet-stream', weights],
  };
  for (const w of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    files[`/wasm/${w}`] = async () => ['application/wasm', await readFile(join(WASM, w))];
  }
  const server: Server = createServer((req, res) => {
    const serve = files[(req.url ?? '/').split('?')[0]];
    if (!serve) {
      res.writeHead(404).end();
      return;
    }
    serve().then(
      ([type, body]) => {
        res.writeHead(200, {
          'content-type': type,
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
          'cross-origin-resource-policy': 'same-origin',
        });
        res.end(body);
      },
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
