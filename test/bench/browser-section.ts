import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { exportLayersModel } from '../../export/index.js';
import { buildModel } from '../../train/models/index.js';
import type { Figures } from './figures.js';
import { spawnListening, stop } from './server-load.js';
import { serveTfjsPage } from './tfjs-page.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../chromium.js';

const RUNS = 200;

interface PageResult {
  state: string;
  threads: number;
  crossOriginIsolated: boolean;
  inferenceMs: number;
}
interface TfjsResult {
  median: number;
  p10: number;
  threads: number;
  backend: string;
  isolated: boolean;
  version: string;
}

export async function browserSection(f: Figures, _seconds: number): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    f.note('browser_ortweb_over_tfjs', `${CHROMIUM} not found (apt-get install chromium)`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'actprobe-bench-browser-'));
  const input = { height: 28, width: 28, channels: 1, classes: 10 };
  const { model } = buildModel(input, { preset: 'model-m' });
  await writeFile(
    join(dir, 'model.onnx'),
    exportLayersModel(model, { labels: Array.from({ length: 10 }, (_, i) => `class ${i}`) }).encode(),
  );
  const tfjsPage = await serveTfjsPage(model);
  model.dispose();
  const server = await spawnListening(
    ['--import', 'tsx', 'serve/cli.ts', '--models', dir, '--port', '0'],
    'serve/cli.ts',
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const png = await sharp(Buffer.from(Array.from({ length: 784 }, (_, i) => (i * 37) % 256)), {
      raw: { width: 28, height: 28, channels: 1 },
    })
      .png()
      .toBuffer();
    const file = join(dir, 'digit.png');
    await writeFile(file, png);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/?model=default&bench=${RUNS}`);
    const state = (s: string[]) =>
      page.waitForFunction((want) => want.includes((window as unknown as { actprobe: PageResult }).actprobe.state), s, {
        timeout: 120_000,
      });
    await state(['ready', 'error']);
    await page.setInputFiles('#file', file);
    await state(['done', 'error']);
    const ortWeb = await page.evaluate(() => (window as unknown as { actprobe: PageResult }).actprobe);
    if (ortWeb.state !== 'done')
      throw new Error(`the page ended in state "${ortWeb.state}": ${await page.textContent('#status')}`);
    await page.close();

    const bytes = new Uint8Array(
      await (await fetch(`http://127.0.0.1:${server.port}/v1/models/default/model.onnx`)).arrayBuffer(),
    );
    const node = await nodeLatency(bytes, ortWeb.threads, RUNS);

    const tPage = await browser.newPage();
    await tPage.goto(tfjsPage.url);
    const tfjs = await tPage.evaluate(
      ([threads, runs]) =>
        (window as unknown as { bench: (t: number, r: number, s: number[]) => Promise<TfjsResult> }).bench(
          threads,
          runs,
          [1, 28, 28, 1],
        ),
      [ortWeb.threads, RUNS] as const,
    );
    await tPage.close();

    const meta = {
      model: 'model-m 28×28×1',
      batch: 1,
      threads: ortWeb.threads,
      ep: `onnxruntime-web wasm (crossOriginIsolated ${ortWeb.crossOriginIsolated})`,
      runs: RUNS,
      browser: `chromium ${browser.version()}`,
    };
    f.add(
      'page_over_ort_node',
      ortWeb.inferenceMs / node,
      `page median ${ortWeb.inferenceMs.toFixed(3)} ms / onnxruntime-node ${node.toFixed(3)} ms per image, ${ortWeb.threads} threads each (goal ≤ 2)`,
      meta,
    );
    f.add(
      'browser_ortweb_over_tfjs',
      tfjs.median / ortWeb.inferenceMs,
      `tfjs ${tfjs.version} ${tfjs.backend} (${tfjs.threads} threads, isolated ${tfjs.isolated}) median ${tfjs.median.toFixed(3)} ms / page ${ortWeb.inferenceMs.toFixed(3)} ms (goal ≥ 1.0)`,
      { ...meta, versus: `tfjs ${tfjs.version} ${tfjs.backend}, ${tfjs.threads} threads` },
    );
  } finally {
    await browser.close();
    await stop(server.child);
    await tfjsPage.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** onnxruntime-node latency on the page's model bytes and thread count, probabilities only, as the page measures it. */
async function nodeLatency(model: Uint8Array, threads: number, runs: number): Promise<number> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: threads });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(784).fill(0.2), [1, 1, 28, 28]) };
  const fetches = [session.outputNames[0]];
  for (let i = 0; i < 10; i++) await session.run(feeds, fetches);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await session.run(feeds, fetches);
    times.push(performance.now() - t);
  }
  await session.release();
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}
