/**
 * `serve --runs DIR`: a run being written (lines appended to metrics.jsonl and activations.jsonl by the test,
 * as the trainer does) updates its live page in headless Chromium without a reload; failure.json turns it
 * "failed"; a quiet running run is "stalled"; a sweep's comparison page streams too. The run folder is a
 * real tiny pipeline run, cut back to its first mini-epoch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, utimes, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSweepState } from '../../pipeline/sweep/state.js';
import { ROOT, TINY_BASE } from '../sweep/tiny-base.js';
import { startServer, type TestServer } from './helpers.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`live-runs.test.ts skipped: ${CHROMIUM} not found (apt-get install chromium)`);

let root = '';
let server: TestServer;
let browser: Browser;
const held = { metrics: [] as string[], activations: [] as string[] };

const lines = async (p: string): Promise<string[]> => (await readFile(p, 'utf8')).split('\n').filter((l) => l.trim());
const miniEpochOf = (l: string): number => (JSON.parse(l) as { miniEpoch?: number }).miniEpoch ?? 0;

/** Rewrites a finished run as if training were at mini-epoch `k`: later lines held back, no report yet. */
async function cutBack(dir: string, k: number): Promise<void> {
  const metrics = await lines(join(dir, 'metrics.jsonl'));
  const acts = await lines(join(dir, 'activations.jsonl'));
  held.metrics = metrics.filter((l) => miniEpochOf(l) > k);
  held.activations = acts.filter((l) => miniEpochOf(l) > k);
  await writeFile(
    join(dir, 'metrics.jsonl'),
    metrics
      .filter((l) => miniEpochOf(l) <= k)
      .map((l) => `${l}\n`)
      .join(''),
  );
  await writeFile(
    join(dir, 'activations.jsonl'),
    acts
      .filter((l) => miniEpochOf(l) <= k)
      .map((l) => `${l}\n`)
      .join(''),
  );
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, status: 'running' }));
  for (const f of ['report.html', 'diagnosis.json']) await rm(join(dir, f), { force: true });
}

describe.skipIf(!hasChromium)('live run pages (serve --runs)', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'actprobe-live-'));
    await writeFile(join(root, 'config.json'), JSON.stringify({ ...TINY_BASE, miniEpochs: 3 }));
    const run = spawnSync(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        'pipeline/cli.ts',
        '--config',
        join(root, 'config.json'),
        '--out',
        join(root, 'runs', 'done'),
        '--backend',
        'wasm',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    await cp(join(root, 'runs', 'done'), join(root, 'runs', 'live'), { recursive: true });
    await cutBack(join(root, 'runs', 'live'), 1);
    await cp(join(root, 'runs', 'live'), join(root, 'runs', 'quiet'), { recursive: true });
    const old = new Date(Date.now() - 3600_000);
    for (const f of ['manifest.json', 'metrics.jsonl', 'activations.jsonl'])
      await utimes(join(root, 'runs', 'quiet', f), old, old);
    // A sweep of one finished variant, for the live comparison page.
    await cp(join(root, 'runs', 'done'), join(root, 'runs', 'sw', 'lr=1e-3'), { recursive: true });
    await writeSweepState(join(root, 'runs', 'sw'), {
      version: 1,
      createdAt: '',
      updatedAt: '',
      base: { source: 'config.json', config: TINY_BASE },
      design: 'grid',
      axes: [{ name: 'lr', path: 'schedule.0.lr', values: [{ label: '1e-3', value: 1e-3 }] }],
      variants: [
        {
          name: 'lr=1e-3',
          folder: 'lr=1e-3',
          settings: { lr: '1e-3' },
          config: 'configs/lr=1e-3.json',
          status: 'finished',
        },
      ],
    });
    server = await startServer({ runs: { root: join(root, 'runs'), pollMs: 150 }, log: () => {} });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('lists every run and sweep with its state', async () => {
    const page = await (await fetch(`${server.url}/runs`)).text();
    expect(page).toMatch(/path=done">done<\/a><\/td><td class="state finished">finished/);
    expect(page).toMatch(/path=live">live<\/a><\/td><td class="state running">running<\/td><td>mini-epoch 1 of 3/);
    expect(page).toMatch(
      /path=quiet">quiet<\/a><\/td><td class="state stalled">stalled<\/td>.*nothing written for 3\d\d\d s/,
    );
    expect(page).toContain('path=sw">sw</a></td><td>sweep</td><td>1 variants: lr');
    expect(page).toContain('path=sw%2Flr%3D1e-3');
  });

  it('shows a new mini-epoch of a run being written, without a reload, then says it failed', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/runs/view?path=live`);
    await page.waitForFunction(
      () => document.getElementById('progress')?.textContent?.startsWith('mini-epoch 1 of 3'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.textContent('#state')).toBe('running');
    expect(await page.locator('#live section#training').count()).toBe(1);
    const before = await page.locator('#live [data-plot="loss"] path').count();
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same document'));
    // The trainer appends the metrics line, then the probe its activations line.
    await appendFile(join(root, 'runs', 'live', 'metrics.jsonl'), `${held.metrics[0]}\n`);
    await appendFile(join(root, 'runs', 'live', 'activations.jsonl'), `${held.activations[0]}\n`);
    await page.waitForFunction(
      () => document.getElementById('progress')?.textContent?.startsWith('mini-epoch 2 of 3'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same document');
    expect(
      await page.evaluate(() => (window as unknown as { actprobeUpdates: number }).actprobeUpdates),
    ).toBeGreaterThanOrEqual(2);
    // The loss plot gained mini-epoch 2's points (one symbol per series per mini-epoch).
    expect(await page.locator('#live [data-plot="loss"] path').count()).toBeGreaterThan(before);
    await writeFile(join(root, 'runs', 'live', 'failure.json'), JSON.stringify({ miniEpoch: 2, where: 'loss' }));
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'failed', undefined, {
      timeout: 60_000,
    });
    expect(await page.textContent('#detail')).toContain('failure.json');
    await page.close();
  });

  it('streams the sweep comparison page, linking variants to their live pages', async () => {
    const res = await fetch(`${server.url}/runs/events?path=sw`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: update\ndata: ') || !text.slice(text.indexOf('event: update')).includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const data = JSON.parse(text.slice(text.indexOf('data: ') + 6).split('\n')[0]) as {
      html: string;
      state: string;
      progress: string;
    };
    expect(data.state).toBe('finished');
    expect(data.progress).toBe('1 finished');
    expect(data.html).toContain('<tr data-run="lr=1e-3">');
    expect(data.html).toContain(`href="/runs/view?path=${encodeURIComponent('sw/lr=1e-3')}"`);
  });

  it('answers 404 for a path that is not a listed run', async () => {
    for (const p of ['../etc', 'nope', ''])
      expect((await fetch(`${server.url}/runs/view?path=${encodeURIComponent(p)}`)).status).toBe(404);
  });
});
