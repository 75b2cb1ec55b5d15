/**
 * `npm run bench`: performance figures measured side by side in one run, printed as a table and written
 * to bench.json (DESIGN.md). BENCH_SECONDS (default 10) sets the seconds per throughput measurement;
 * BENCH_ONLY=train,inference,probe,server picks sections.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settings } from '../../settings/index.js';
import { exportLayersModel } from '../../export/index.js';
import { describeBackend, selectBackend } from '../../train/backend/index.js';
import { buildModel } from '../../train/models/index.js';
import { printTable, writeBenchJson } from './figures.js';
import { inferenceThroughput } from './inference-throughput.js';
import { measureProbeOverhead } from './probe-overhead.js';
import { serverLoad } from './server-load.js';
import { tfjsTrainImagesPerSecond, trainThroughputSideBySide } from './train-throughput.js';

type Row = [string, number, string];
const seconds = settings().benchSeconds;
const only = new Set(settings().benchOnly);
const report = await selectBackend('auto');
console.log(describeBackend(report));
const mnist = { height: 28, width: 28, channels: 1, classes: 10 };
const figures: Record<string, number> = {};
const rows: Row[] = [];
const add = (name: string, value: number, note: string): void => {
  figures[name] = value;
  rows.push([name, value, note]);
};

if (only.has('train')) {
  const runs = 5;
  const side = trainThroughputSideBySide(Math.max(2, seconds / 2), runs);
  const list = (r: { all: number[] }): string => r.all.map((v) => v.toFixed(0)).join(' ');
  add('train_img_s', side.tfjs.median, `model M, batch 64, Adam, tfjs ${report.backend}${report.wasm?.native !== undefined ? ' + native kernels' : ''}; median of ${runs} runs: ${list(side.tfjs)}`);
  if (side.pytorch !== null) {
    add('train_img_s_pytorch', side.pytorch.median, `${side.note}; median of ${runs} runs: ${list(side.pytorch)}`);
    // PyTorch's fast mode is its real capability here (DESIGN.md's ≈1600), so the headline ratio compares bests.
    add('train_ratio_vs_pytorch', side.tfjs.best / side.pytorch.best, "tfjs / PyTorch, each side's fastest run (goal ≥ 1.0, issue 3)");
    add('train_ratio_vs_pytorch_median', side.tfjs.median / side.pytorch.median, 'tfjs / PyTorch, medians');
  } else rows.push(['train_img_s_pytorch', Number.NaN, side.note]);
  add('train_img_s_seednet', tfjsTrainImagesPerSecond({ preset: 'seednet', width: 0.25 }, mnist, 64, seconds / 2), 'seednet width 0.25, 28×28×1, batch 64');
  add('train_img_s_alexnet', tfjsTrainImagesPerSecond({ preset: 'alexnet', width: 0.0625, stemKernel: 5, stemStride: 2 }, { height: 64, width: 64, channels: 3, classes: 110 }, 64, seconds / 2), 'alexnet width 1/16, 64×64×3, 110 classes, batch 64');
}

if (only.has('inference')) {
  const f = await inferenceThroughput(seconds / 2, 3);
  add('ort_b64_img_s', f.ort_b64_img_s, 'onnxruntime CPU, exported model M, batch 64');
  add('tfjs_b64_img_s', f.tfjs_b64_img_s, `tfjs ${report.backend} predict, model M, batch 64`);
  add('ort_over_tfjs_b64', f.ort_over_tfjs_b64, 'goal ≥ 3');
  add('ort_b1_ms', f.ort_b1_ms, 'onnxruntime batch 1 latency (ms)');
  add('tfjs_b1_ms', f.tfjs_b1_ms, 'tfjs batch 1 latency (ms)');
}

if (only.has('probe')) {
  const dir = await mkdtemp(join(tmpdir(), 'actprobe-bench-'));
  const { model } = buildModel(mnist, { preset: 'model-m' });
  const path = join(dir, 'model-m.onnx');
  await writeFile(path, exportLayersModel(model).encode());
  model.dispose();
  const p = await measureProbeOverhead(path, { images: 256 });
  add('probe_over_plain', p.probe_over_plain, `default probe (every statistic on every image), ${p.taps} taps, 256 images / plain inference (goal ≤ 1.3)`);
  add('probe_graph_over_plain', p.probe_graph_ms / p.plain_ms, `of that pass: the tapped graph's onnxruntime runs alone / plain (the JavaScript side took ${p.probe_js_ms.toFixed(1)} ms of ${p.probe_ms.toFixed(1)})`);
  const light = await measureProbeOverhead(path, { images: 256, fullStatImages: 64 });
  add('probe_light_over_plain', light.probe_over_plain, 'probe --full-stats 64 (max/mean on all, the rest on 64 images) / plain');
}

if (only.has('server')) {
  const s = await serverLoad({ seconds: Math.max(3, seconds / 2), loadRequests: 10_000 });
  add('server_over_bare_ort', s.server_over_bare_ort, '/v2 infer at concurrency 16 / bare session loop (goal ≥ 0.9)');
  add('server_req_s', s.server_req_s, `requests/s at concurrency 16; bare loop ${s.bare_req_s.toFixed(0)}/s`);
  add('http_floor_over_bare_ort', s.http_floor_req_s / s.bare_req_s, 'a do-nothing node:http server driven by the same client / bare loop: what HTTP + client allow here');
  add('server_cpu_ms_per_req', s.server_cpu_ms_per_req, 'server process CPU per request (steadier than req/s on a shared host)');
  add('client_cpu_ms_per_req', s.client_cpu_ms_per_req, 'load client CPU per request (lean net-socket client; it shares the 2 cores with the server)');
  add('server_p50_ms', s.server_p50_ms, 'latency p50 at concurrency 16');
  add('server_p99_ms', s.server_p99_ms, 'latency p99 at concurrency 16');
  add('server_load_errors', s.load_errors, `${s.load_requests} requests at concurrency 32`);
  add('server_rss_growth_mb', s.rss_after_mb - s.rss_before_mb, `RSS ${s.rss_before_mb.toFixed(0)} → ${s.rss_after_mb.toFixed(0)} MB`);
}

printTable(rows);
await writeBenchJson(figures);
console.log('wrote bench.json');
