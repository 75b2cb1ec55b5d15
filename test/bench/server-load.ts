/**
 * Server load figures (docs/DESIGN.md), loopback only, bounded in count and time:
 *   server_over_bare_ort   /v2/models/default/infer requests/s at concurrency 16 ÷ a bare onnxruntime-node loop
 *                          on the same model M (batch 1 per call, no HTTP; the better of 16 loops sharing one
 *                          session and one loop, bareBest)
 *   server_p50_ms, server_p99_ms   request latency at concurrency 16
 *   load_requests, load_errors, rss_*_mb   `loadRequests` requests at concurrency 32 (default 10,000; want 0 errors)
 *   http_floor_req_s       the same client against a do-nothing node:http server in its own process (reads the
 *                          body, sends a fixed answer of the same size): what HTTP and the client alone allow here
 * The server runs as `serve/cli.ts` in its own process, as users run it, so CPU and RSS are the server's alone.
 * The client is load-client.ts (lean keep-alive sockets); its own CPU per request is reported, since it runs
 * on the same cores. Server and bare loop ask for the same intra-op thread count (probe/session/threads.ts).
 * The bare loop is measured before and after the server and averaged, so load from other processes that comes
 * and goes during the run weighs on both sides alike; both measurements are returned.
 *   server_over_ceiling    server req/s ÷ the most this host could serve: a request costs at least the HTTP
 *                          floor's time plus the bare loop's, so ceiling = 1 / (1/http_floor + 1/bare)
 *   classify_*             POST /v1/models/default/classify?activations=stats with a real 28×28 PNG (sharp),
 *                          concurrency 16: decoding, preprocessing, the tapped run and the statistics answer
 */
import * as tf from '@tensorflow/tfjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { exportLayersModel } from '../../export/index.js';
import { buildModel } from '../../train/models/index.js';
import { intraOpThreads } from '../../probe/session/threads.js';
import { driveLoad } from './load-client.js';
import { childEnv } from '../../settings/index.js';

export interface ServerLoadOptions {
  /** Seconds per throughput measurement (bare loop, then server); default 5. */
  seconds?: number;
  /** Requests in the error/RSS run; default 10,000 (lower it for a quick pass). */
  loadRequests?: number;
  /** Start the server with --no-batching, to see what merging concurrent requests buys. */
  noBatching?: boolean;
}

export interface ServerLoadFigures {
  server_over_bare_ort: number;
  server_p50_ms: number;
  server_p99_ms: number;
  server_req_s: number;
  bare_req_s: number;
  bare_before_req_s: number;
  bare_after_req_s: number;
  http_floor_req_s: number;
  ceiling_req_s: number;
  server_over_ceiling: number;
  classify_req_s: number;
  classify_p50_ms: number;
  classify_p99_ms: number;
  classify_errors: number;
  /** Server process CPU (user + system) per request at concurrency 16: steadier than req/s on a shared host. */
  server_cpu_ms_per_req: number;
  /** The load client's own CPU per request (it shares the host's cores with the server). */
  client_cpu_ms_per_req: number;
  load_requests: number;
  load_errors: number;
  load_req_s: number;
  rss_before_mb: number;
  rss_after_mb: number;
}

const proc = (pid: number, file: string): string => readFileSync(`/proc/${pid}/${file}`, 'utf8');
/** utime + stime in ms (fields 14 and 15 of /proc/PID/stat, in 10 ms clock ticks). */
const cpuMs = (pid: number): number =>
  proc(pid, 'stat')
    .split(') ')[1]
    .split(' ')
    .slice(11, 13)
    .reduce((a, b) => a + Number(b) * 10, 0);
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(proc(pid, 'status'))?.[1] ?? NaN) / 1024;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** A node:http server that reads each body and answers `reply`, nothing else: the floor of any server here. */
const FLOOR_SERVER = `
const reply = process.argv[1];
const s = require('node:http').createServer((req, res) => {
  req.on('data', () => {}).on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(reply) });
    res.end(reply);
  });
});
s.listen(0, '127.0.0.1', () => console.log('"msg":"listening","url":"http://127.0.0.1:' + s.address().port + '"'));
process.on('SIGTERM', () => process.exit(0));
`;

/** Spawns `args`, resolves with the port once it prints its listening line. */
export async function spawnListening(args: string[], what: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: childEnv({}, { withSettings: true }),
  });
  let seen = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not report "listening" within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /"msg":"listening","url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  // From here the request logs are read and dropped, so the pipe never fills.
  child.stdout!.removeAllListeners('data').resume();
  return { child, port };
}

const startServer = (dir: string, noBatching: boolean) =>
  spawnListening(
    ['--import', 'tsx', 'serve/cli.ts', '--models', dir, '--port', '0', ...(noBatching ? ['--no-batching'] : [])],
    'serve/cli.ts',
  );

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const drive = (port: number, body: string, concurrency: number, count: number, ms: number) =>
  driveLoad(port, '/v2/models/default/infer', body, concurrency, count, ms);

/**
 * The bare loop's best: 16 runs in flight on one session (as the server's clients are) or one at a time.
 * On a loaded 2-core host 16 concurrent runs, each with its own spinning intra-op threads, ran at 550–1300/s
 * while the server, which runs one inference at a time, answered 1900/s even unbatched: the faster of the two
 * ways is what onnxruntime alone can do here.
 */
async function bareBest(model: Uint8Array, input: Float32Array, seconds: number): Promise<number> {
  return Math.max(await bareLoop(model, input, seconds / 2, 16), await bareLoop(model, input, seconds / 2, 1));
}

async function bareLoop(model: Uint8Array, input: Float32Array, seconds: number, concurrency: number): Promise<number> {
  // The server's thread count, with onnxruntime's default spinning: nothing else runs here.
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: intraOpThreads(),
  });
  const feeds = { input: new ort.Tensor('float32', input, [1, 1, 28, 28]) };
  for (let i = 0; i < 200; i++) await session.run(feeds);
  let calls = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - start < seconds * 1000) {
        await session.run(feeds);
        calls++;
      }
    }),
  );
  const rate = calls / ((performance.now() - start) / 1000);
  await session.release();
  return rate;
}

export async function serverLoad(opts: ServerLoadOptions = {}): Promise<ServerLoadFigures> {
  const seconds = opts.seconds ?? 5;
  const loadRequests = opts.loadRequests ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'actprobe-bench-serve-'));
  // The model is built on the cpu backend only to be exported; the backend that trains is put back after,
  // or every later section (the loader's training) would run on tfjs' pure-JS kernels.
  const trainingBackend = tf.getBackend();
  try {
    await tf.setBackend('cpu');
    const { model } = buildModel({ height: 28, width: 28, channels: 1, classes: 10 }, { preset: 'model-m' });
    await writeFile(join(dir, 'model.onnx'), exportLayersModel(model).encode());
    model.dispose();
    await tf.setBackend(trainingBackend);
    const input = Float32Array.from({ length: 784 }, () => Math.random());
    const body = JSON.stringify({
      inputs: [{ name: 'input', shape: [1, 1, 28, 28], datatype: 'FP32', data: Array.from(input) }],
    });
    const modelBytes = new Uint8Array(await readFile(join(dir, 'model.onnx')));
    // The floor answers what the real server answers to this body: one output of `classes` probabilities.
    const reply = JSON.stringify({
      model_name: 'floor',
      model_version: '1',
      outputs: [
        {
          name: 'probabilities',
          datatype: 'FP32',
          shape: [1, 10],
          data: Array.from({ length: 10 }, () => Math.fround(Math.random())),
        },
      ],
    });
    const floorServer = await spawnListening(['-e', FLOOR_SERVER, reply], 'the floor server');
    let floor: number;
    try {
      await drive(floorServer.port, body, 16, 2000, seconds * 200);
      floor = (await drive(floorServer.port, body, 16, Number.MAX_SAFE_INTEGER, seconds * 1000)).reqPerSec;
    } finally {
      await stop(floorServer.child);
    }
    const bareBefore = await bareBest(modelBytes, input, seconds);
    const { child, port } = await startServer(dir, opts.noBatching ?? false);
    const pid = child.pid!;
    try {
      await drive(port, body, 16, 2000, seconds * 200); // warm-up: JIT and onnxruntime's first runs
      const rssBefore = rssMb(pid);
      const cpuBefore = cpuMs(pid);
      const clientBefore = process.cpuUsage();
      const timed = await drive(port, body, 16, Number.MAX_SAFE_INTEGER, seconds * 1000);
      const cpuPerReq = (cpuMs(pid) - cpuBefore) / timed.sent;
      const client = process.cpuUsage(clientBefore);
      const clientCpuPerReq = (client.user + client.system) / 1000 / timed.sent;
      const bareAfter = await bareBest(modelBytes, input, seconds);
      const bare = (bareBefore + bareAfter) / 2;
      const png = await sharp(Buffer.from(Array.from(input, (v) => Math.round(v * 255))), {
        raw: { width: 28, height: 28, channels: 1 },
      })
        .png()
        .toBuffer();
      const classifyPath = '/v1/models/default/classify?activations=stats';
      await driveLoad(port, classifyPath, png, 16, 500, seconds * 200, 'image/png');
      const classify = await driveLoad(
        port,
        classifyPath,
        png,
        16,
        Number.MAX_SAFE_INTEGER,
        seconds * 1000,
        'image/png',
      );
      const load = await drive(port, body, 32, loadRequests, 120_000);
      console.log(
        `server ${timed.reqPerSec.toFixed(0)} req/s (${cpuPerReq.toFixed(3)} ms CPU/req; client ${clientCpuPerReq.toFixed(3)} ms CPU/req), bare onnxruntime ${bareBefore.toFixed(0)} → ${bareAfter.toFixed(0)} req/s, ` +
          `do-nothing node:http floor ${floor.toFixed(0)} req/s (= ${(floor / bare).toFixed(2)} × bare)`,
      );
      return {
        server_over_bare_ort: timed.reqPerSec / bare,
        server_p50_ms: pct(timed.latencies, 0.5),
        server_p99_ms: pct(timed.latencies, 0.99),
        server_req_s: timed.reqPerSec,
        bare_req_s: bare,
        bare_before_req_s: bareBefore,
        bare_after_req_s: bareAfter,
        http_floor_req_s: floor,
        ceiling_req_s: 1 / (1 / floor + 1 / bare),
        server_over_ceiling: timed.reqPerSec * (1 / floor + 1 / bare),
        classify_req_s: classify.reqPerSec,
        classify_p50_ms: pct(classify.latencies, 0.5),
        classify_p99_ms: pct(classify.latencies, 0.99),
        classify_errors: classify.errors,
        server_cpu_ms_per_req: cpuPerReq,
        client_cpu_ms_per_req: clientCpuPerReq,
        load_requests: load.sent,
        // Requests never sent because the 120 s cap hit count as errors too.
        load_errors: load.errors + (loadRequests - load.sent),
        load_req_s: load.reqPerSec,
        rss_before_mb: rssBefore,
        rss_after_mb: rssMb(pid),
      };
    } finally {
      await stop(child);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
