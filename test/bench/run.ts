/**
 * `npm run bench`: performance figures measured side by side in one run, printed as a table and written
 * to bench.json (DESIGN.md), with what each figure ran on in bench-meta.json (figures.ts). BENCH_SECONDS
 * (default 10) sets the seconds per throughput measurement; BENCH_ONLY picks sections:
 * train, inference, probe (or probe-model-m, probe-squeezenet, probe-alexnet), server, browser, loader.
 */
import { intraOpThreads } from '../../probe/session/threads.js';
import { settings } from '../../settings/index.js';
import { describeBackend, selectBackend } from '../../train/backend/index.js';
import { browserSection } from './browser-section.js';
import { Figures, printTable, writeBenchJson, writeBenchMeta } from './figures.js';
import { inferenceThroughput } from './inference-throughput.js';
import { loaderFigures } from './loader-throughput.js';
import { probeSection } from './probe-section.js';
import { serverLoad } from './server-load.js';
import { trainThroughputSideBySide, type Runs } from './train-throughput.js';
import { TWINS } from './twin-specs.js';

const seconds = settings().benchSeconds;
const only = new Set(settings().benchOnly);
const report = await selectBackend('auto');
console.log(describeBackend(report));
const f = new Figures();
const tfjsBackend = `tfjs ${report.backend}${report.wasm?.native !== undefined ? ' + native kernels' : ''}`;
const tfjsThreads = report.wasm?.threads ?? 1;
const ortThreads = intraOpThreads();

if (only.has('train')) {
  // PyTorch gets as many threads as tfjs' wasm pool, so both sides use the same cores.
  const threads = Math.max(tfjsThreads, 2);
  const list = (r: Runs): string => r.all.map((v) => v.toFixed(0)).join(' ');
  const twins = [
    ['model-m', 5, ''],
    ['seednet', 3, '_seednet'],
    ['alexnet', 3, '_alexnet'],
  ] as const;
  for (const [twin, runs, suffix] of twins) {
    const side = trainThroughputSideBySide(twin, Math.max(2, seconds / 2), runs, threads);
    const meta = {
      model: TWINS[twin].describe,
      batch: 64,
      threads,
      ep: tfjsBackend,
      tfjsWasmThreads: tfjsThreads,
      native: report.wasm?.native ?? 'off',
      optimizer: 'adam',
      runs,
    };
    f.add(
      `train_img_s${suffix}`,
      side.tfjs.median,
      `${TWINS[twin].describe}, batch 64, Adam, ${tfjsBackend}; median of ${runs} runs: ${list(side.tfjs)}`,
      meta,
    );
    if (side.pytorch === null) {
      f.note(`train_img_s_pytorch${suffix}`, side.note);
      continue;
    }
    const torchMeta = { ...meta, ep: side.note };
    f.add(
      `train_img_s_pytorch${suffix}`,
      side.pytorch.median,
      `${side.note}; median of ${runs} runs: ${list(side.pytorch)}`,
      torchMeta,
    );
    // PyTorch's fast mode is its real capability here (DESIGN.md's ≈1600 on model M), so the headline ratio compares bests.
    f.add(
      `train_ratio_vs_pytorch${suffix}`,
      side.tfjs.best / side.pytorch.best,
      "tfjs / PyTorch, each side's fastest run (goal ≥ 1.0)",
      torchMeta,
    );
    f.add(
      `train_ratio_vs_pytorch${suffix}_median`,
      side.tfjs.median / side.pytorch.median,
      'tfjs / PyTorch, medians',
      torchMeta,
    );
  }
}

if (only.has('inference')) {
  const r = await inferenceThroughput(seconds / 2, 3);
  const ort = { model: 'model-m 28×28×1', threads: ortThreads, ep: 'onnxruntime-node cpu' };
  const tfjs = { model: 'model-m 28×28×1', threads: tfjsThreads, ep: tfjsBackend };
  f.add('ort_b64_img_s', r.ort_b64_img_s, 'onnxruntime CPU, exported model M, batch 64', { ...ort, batch: 64 });
  f.add('tfjs_b64_img_s', r.tfjs_b64_img_s, `${tfjsBackend} predict, model M, batch 64`, { ...tfjs, batch: 64 });
  f.add('ort_over_tfjs_b64', r.ort_over_tfjs_b64, 'goal ≥ 3', { ...ort, batch: 64, versus: tfjsBackend });
  f.add('ort_b1_ms', r.ort_b1_ms, 'onnxruntime batch 1 latency (ms)', { ...ort, batch: 1 });
  f.add('tfjs_b1_ms', r.tfjs_b1_ms, 'tfjs batch 1 latency (ms)', { ...tfjs, batch: 1 });
}

const probeModels = (['model-m', 'squeezenet', 'alexnet'] as const).filter(
  (m) => only.has('probe') || only.has(`probe-${m}`),
);
if (probeModels.length > 0) await probeSection(f, new Set(probeModels));

if (only.has('server')) {
  const s = await serverLoad({ seconds: Math.max(3, seconds / 2), loadRequests: 10_000 });
  const meta = {
    model: 'model-m 28×28×1',
    batch: 1,
    threads: ortThreads,
    ep: 'onnxruntime-node cpu',
    concurrency: 16,
    client: 'test/bench/load-client.ts, same host',
    batching: 'on',
  };
  f.add(
    'server_over_ceiling',
    s.server_over_ceiling,
    `/v2 infer req/s / ceiling ${s.ceiling_req_s.toFixed(0)}/s = 1/(1/http_floor + 1/bare) (goal ≥ 0.9)`,
    meta,
  );
  // The server merges concurrent requests into one batch, which the batch-1 bare loop cannot: so the ceiling is
  // also compared with the server run one request per inference, the case the ceiling's formula describes.
  const single = await serverLoad({ seconds: Math.max(3, seconds / 2), loadRequests: 500, noBatching: true });
  f.add(
    'server_over_ceiling_unbatched',
    single.server_over_ceiling,
    `the same with serve --no-batching: ${single.server_req_s.toFixed(0)} req/s / ceiling ${single.ceiling_req_s.toFixed(0)}/s`,
    { ...meta, batching: 'off' },
  );
  f.add('server_over_bare_ort', s.server_over_bare_ort, '/v2 infer at concurrency 16 / bare session loop', meta);
  f.add('server_req_s', s.server_req_s, `requests/s at concurrency 16; bare loop ${s.bare_req_s.toFixed(0)}/s`, meta);
  f.add(
    'http_floor_over_bare_ort',
    s.http_floor_req_s / s.bare_req_s,
    `a do-nothing node:http server driven by the same client (${s.http_floor_req_s.toFixed(0)}/s) / bare loop: what HTTP + client allow here`,
    meta,
  );
  f.add(
    'server_cpu_ms_per_req',
    s.server_cpu_ms_per_req,
    'server process CPU per request (steadier than req/s on a shared host)',
    meta,
  );
  f.add(
    'client_cpu_ms_per_req',
    s.client_cpu_ms_per_req,
    'load client CPU per request (lean net-socket client; it shares the cores with the server)',
    meta,
  );
  f.add('server_p50_ms', s.server_p50_ms, 'latency p50 at concurrency 16', meta);
  f.add(
    'server_p99_ms',
    s.server_p99_ms,
    `latency p99 at concurrency 16 (goal ≤ 3 × p50: ${(s.server_p99_ms / s.server_p50_ms).toFixed(1)} ×)`,
    meta,
  );
  const classify = { ...meta, route: 'POST /v1/models/default/classify?activations=stats', body: '28×28 PNG' };
  f.add(
    'classify_req_s',
    s.classify_req_s,
    `classify route, activations=stats, real PNG, concurrency 16 (${s.classify_errors} errors)`,
    classify,
  );
  f.add('classify_p50_ms', s.classify_p50_ms, 'classify latency p50 at concurrency 16', classify);
  f.add('classify_p99_ms', s.classify_p99_ms, 'classify latency p99 at concurrency 16', classify);
  f.add('server_load_errors', s.load_errors, `${s.load_requests} requests at concurrency 32`, {
    ...meta,
    concurrency: 32,
  });
  f.add(
    'server_rss_growth_mb',
    s.rss_after_mb - s.rss_before_mb,
    `RSS ${s.rss_before_mb.toFixed(0)} → ${s.rss_after_mb.toFixed(0)} MB`,
    { ...meta, concurrency: 32 },
  );
}

if (only.has('browser')) await browserSection(f, seconds);
if (only.has('loader')) {
  const meta = { model: 'alexnet width 1/16, 64×64×3', batch: 64, ep: 'tfjs wasm (training) / sharp (decoding)' };
  for (const [name, fig] of Object.entries(await loaderFigures(seconds))) f.add(name, fig.value, fig.note, meta);
}

printTable(f.rows);
await writeBenchJson(f.values);
await writeBenchMeta(f.meta);
console.log('wrote bench.json and bench-meta.json');
