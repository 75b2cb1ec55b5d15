// The browser page: runs the same model.onnx as the server with onnxruntime-web (wasm), shows the top-5 and
// per-layer heatmaps. It reports what actually ran (threads, cross-origin isolation) rather than assuming,
// and leaves its results on window.actprobe for the end-to-end test.
import * as ort from '/ort/ort.wasm.min.mjs';
import { coverRect, cropRect, defaultPreprocessing, softmax, toInput } from './preprocess.js';
import { channelStats } from './channel-stats.js';
import { renderLayers, renderTop } from './render.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const modelName = params.get('model') ?? 'default';
const benchRuns = Number(params.get('bench') ?? 0);
const result = (window.actprobe = { state: 'loading', model: modelName });
let session = null;
let meta = null;

function setState(state, text) {
  result.state = state;
  document.body.dataset.state = state;
  if (text) $('status').textContent = text;
}

const authHeaders = () => {
  const t = localStorage.getItem('actprobe-token');
  return t ? { Authorization: `Bearer ${t}` } : {};
};

async function fetchOk(url) {
  const res = await fetch(url, { headers: authHeaders() });
  if (res.status === 401) {
    $('token-form').hidden = false;
    throw new Error('this server needs a bearer token: enter it above');
  }
  if (!res.ok) throw new Error(`${url}: ${res.status} ${(await res.json().catch(() => ({}))).error ?? res.statusText}`);
  return res;
}

async function load() {
  // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page (the server sends COOP/COEP).
  const threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = threads;
  meta = await (await fetchOk(`/v2/models/${encodeURIComponent(modelName)}`)).json();
  const bytes = await (await fetchOk(`/v1/models/${encodeURIComponent(modelName)}/model.onnx`)).arrayBuffer();
  session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'] });
  Object.assign(result, {
    threads,
    crossOriginIsolated: self.crossOriginIsolated,
    layers: meta.layers.map((l) => l.name),
  });
  const iso = self.crossOriginIsolated ? 'cross-origin isolated' : 'NOT cross-origin isolated (one thread)';
  $('runtime').textContent =
    `${meta.name}: onnxruntime-web ${ort.env.versions?.web ?? ''} wasm, ${threads} thread(s), ${iso}; ${meta.layers.length} layers`;
  setState('ready', 'Ready: drop or pick an image.');
}

async function classify(file) {
  setState('running', `classifying ${file.name}…`);
  const [C, H, W] = meta.inputs[0].shape.slice(1);
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = $('preview');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!meta.crop && bitmap.width === W && bitmap.height === H) ctx.drawImage(bitmap, 0, 0);
  else {
    const { sx, sy, sw, sh } = meta.crop
      ? cropRect(bitmap.width, bitmap.height, W, H, meta.crop.shorterSide)
      : coverRect(bitmap.width, bitmap.height, W, H);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, sx, sy, sw, sh, 0, 0, W, H);
  }
  const pre = meta.preprocessing ?? defaultPreprocessing(C);
  const input = new ort.Tensor('float32', toInput(ctx.getImageData(0, 0, W, H).data, [C, H, W], pre), [1, C, H, W]);
  const feeds = { [session.inputNames[0]]: input };
  const t0 = performance.now();
  const out = await session.run(feeds);
  const firstMs = performance.now() - t0;
  const scores = out[meta.outputs[0].name].data;
  const probs = meta.outputKind === 'logits' ? softmax(scores) : scores;
  result.top = renderTop($('top'), meta.labels, probs);
  result.probabilities = Array.from(probs);
  // meta.layers[i].output is the ONNX value the layer's output lives in (the page's model has them as outputs).
  renderLayers(
    $('layers'),
    meta.layers.map((l) => ({ name: l.name, op: l.op, dims: out[l.output].dims, data: out[l.output].data })),
  );
  // Per-channel statistics by the server's own code (channel-stats.js), for anyone comparing page and server.
  result.layerStats = meta.layers.map((l) => ({
    name: l.name,
    channels: channelStats(out[l.output].data, out[l.output].dims),
  }));
  result.inferenceMs = firstMs;
  if (benchRuns > 0) Object.assign(result, await runTimes(feeds, benchRuns));
  $('timing').textContent =
    `inference ${result.inferenceMs.toFixed(2)} ms${benchRuns ? ` (median of ${benchRuns}, probabilities only)` : ' (first run, all layers)'}`;
  setState('done', `${file.name}: ${result.top[0].label} (${result.top[0].score.toFixed(3)})`);
}

/** Latency comparable with onnxruntime-node: only the probabilities fetched, after 10 warm-up runs; median and 10th percentile. */
async function runTimes(feeds, runs) {
  const fetches = [meta.outputs[0].name];
  for (let i = 0; i < 10; i++) await session.run(feeds, fetches);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await session.run(feeds, fetches);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { inferenceMs: times[Math.floor(runs / 2)], inferenceP10Ms: times[Math.floor(runs / 10)] };
}

const fail = (err) => setState('error', `error: ${err.message}`);
const take = (file) => file && classify(file).catch(fail);
$('file').addEventListener('change', (e) => take(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  take(e.dataTransfer.files[0]);
});
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  localStorage.setItem('actprobe-token', $('token').value);
  location.reload();
});
load().catch(fail);
