/**
 * The browser page end to end in headless Chromium (Debian `chromium` + playwright-core): upload a fixture
 * image, and the page's onnxruntime-web probabilities must match the server's /classify within 1e-4.
 * Also prints page (wasm) vs onnxruntime-node latency on the same model bytes, same thread count, median and
 * 10th percentile of 200 runs after 10 warm-ups each (goal ≤ 2×; not asserted: benchmarks are not timed
 * tests). Skipped, with the reason printed, when /usr/bin/chromium is missing.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAY, makeRunFolder, pngImage, tempDir } from './fixtures.js';
import { numbers, postImage, startServer, type TestServer } from './helpers.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../chromium.js';
import { classifyInPage } from './page-driver.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`browser.test.ts skipped: ${CHROMIUM} not found (apt-get install chromium)`);

interface PageResult {
  state: string;
  threads: number;
  crossOriginIsolated: boolean;
  probabilities: number[];
  top: Array<{ label: string }>;
  inferenceMs: number;
  inferenceP10Ms: number;
}

let root: string;
let server: TestServer;
let browser: Browser;

describe.skipIf(!hasChromium)('browser page', () => {
  beforeAll(async () => {
    root = await tempDir('browser');
    await makeRunFolder(join(root, 'gray'), GRAY);
    // Model M (conv+BN+SE, the DESIGN.md benchmark model) for a latency figure that is not all call overhead.
    await makeRunFolder(join(root, 'm'), { ...GRAY, preset: 'model-m' });
    server = await startServer({ models: root });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['gray', 4],
    ['m', 17],
  ])('model %s: classifies an uploaded image like the server, within 1e-4', async (model, layers) => {
    const png = await pngImage(28, 28, 1, 3);
    const file = join(root, 'digit.png');
    await writeFile(file, png);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const wasm: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('.wasm'))
        wasm.push(`${new URL(r.url()).pathname} ${r.status()} ${r.headers()['content-type']}`);
    });
    await page.goto(`${server.url}/?model=${model}&bench=200`);
    const result = await classifyInPage<PageResult>(page, file);
    expect(result.state, (await page.textContent('#status')) ?? '').toBe('done');
    expect(errors).toEqual([]);
    // What ran, not what was asked for: COOP/COEP made the page isolated, so wasm got its threads.
    expect(result.crossOriginIsolated).toBe(true);
    // The SIMD + threads build, typed so the browser compiles it while it streams in.
    expect(wasm).toEqual(['/ort/ort-wasm-simd-threaded.wasm 200 application/wasm']);

    const server_ = numbers((await postImage(`${server.url}/v1/models/${model}/classify`, png)).json.probabilities);
    expect(result.probabilities).toHaveLength(server_.length);
    result.probabilities.forEach((p, i) => expect(Math.abs(p - server_[i])).toBeLessThan(1e-4));
    expect(await page.locator('#top li').count()).toBe(5);
    expect(await page.locator('.layer').count()).toBe(layers);
    expect(await page.locator('.layer canvas').count()).toBeGreaterThanOrEqual(layers);

    const node = await nodeLatency(server.app.models.get(model).activations.browserModel(), result.threads, 200);
    console.log(
      `${model}: page (onnxruntime-web wasm, ${result.threads} threads) median ${result.inferenceMs.toFixed(3)} ms (p10 ${result.inferenceP10Ms.toFixed(3)}) ` +
        `vs onnxruntime-node (${result.threads} threads) median ${node.median.toFixed(3)} ms (p10 ${node.p10.toFixed(3)}) per image ` +
        `→ ${(result.inferenceMs / node.median).toFixed(2)}× at the median, ${(result.inferenceP10Ms / node.p10).toFixed(2)}× at p10 (goal ≤ 2×)`,
    );
    await page.close();
  });
});

/** onnxruntime-node latency on the page's model bytes and thread count, probabilities only, as the page measures it. */
async function nodeLatency(model: Uint8Array, threads: number, runs: number): Promise<{ median: number; p10: number }> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: threads });
  const feeds = { input: new ort.Tensor('float32', new Float32Array(784).fill(0.2), [1, 1, 28, 28]) };
  for (let i = 0; i < 10; i++) await session.run(feeds, ['probabilities']);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await session.run(feeds, ['probabilities']);
    times.push(performance.now() - t);
  }
  await session.release();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p10: times[Math.floor(runs / 10)] };
}
