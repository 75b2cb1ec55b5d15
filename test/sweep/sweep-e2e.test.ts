/**
 * A 2×2 sweep of tiny runs end to end: stopped (SIGTERM) after its first variant, then `--resume` finishes
 * it without redoing the finished one. Then the comparison page: four rows with the right differing values,
 * and `compare-runs` on two of the run folders.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSweepState } from '../../pipeline/sweep/state.js';
import { ROOT, TINY_BASE } from './tiny-base.js';

const TSX = join(ROOT, 'node_modules/.bin/tsx');
const NAMES = ['lr=1e-3,batch=16', 'lr=1e-3,batch=32', 'lr=3e-3,batch=16', 'lr=3e-3,batch=32'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir = '';
let out = '';
const firstRun = { updatedAt: '', reportMtime: 0 };
let stopCode: number | null = null;
let statusAtStop: string[] = [];
let resumeStderr = '';

describe('npm run sweep, 2×2, stopped and resumed', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'actprobe-sweep-'));
    out = join(dir, 'sweep');
    await writeFile(join(dir, 'base.json'), JSON.stringify({ ...TINY_BASE, miniEpochs: 1 }));
    const args = [
      'pipeline/sweep/cli.ts',
      '--config',
      join(dir, 'base.json'),
      '--vary',
      'lr=1e-3,3e-3',
      '--vary',
      'batch=16,32',
      '--out',
      out,
      '--backend',
      'wasm',
    ];
    // Node itself, not the tsx wrapper process: the signal goes straight to the sweep, as from a terminal.
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Stop it as soon as sweep.json shows the first variant finished (the second has then just started).
    for (let i = 0; i < 1500; i++) {
      const s = await readSweepState(out).catch(() => null);
      if (s?.variants[0].status === 'finished') break;
      await sleep(200);
    }
    child.kill('SIGTERM');
    stopCode = await exited;
    statusAtStop = (await readSweepState(out))?.variants.map((v) => v.status) ?? [];
    const manifest = JSON.parse(await readFile(join(out, NAMES[0], 'manifest.json'), 'utf8')) as { updatedAt: string };
    firstRun.updatedAt = manifest.updatedAt;
    firstRun.reportMtime = (await stat(join(out, NAMES[0], 'report.html'))).mtimeMs;
    const resumed = spawnSync(
      TSX,
      ['pipeline/sweep/cli.ts', '--out', out, '--resume', '--parallel', '2', '--backend', 'wasm'],
      { cwd: ROOT, encoding: 'utf8', timeout: 240_000 },
    );
    resumeStderr = resumed.stderr;
    expect(resumed.status, resumed.stderr).toBe(0);
  }, 420_000);

  it('the stopped sweep exits 130 with the first variant finished and none of the others', async () => {
    expect(stopCode).toBe(130);
    expect(statusAtStop[0]).toBe('finished');
    expect(statusAtStop.slice(1).every((s) => s === 'interrupted' || s === 'pending')).toBe(true);
  });

  it('--resume ran only the unfinished variants; the finished one was left untouched', async () => {
    expect(resumeStderr).toContain(`sweep: ${NAMES[0]} already finished; not run again`);
    for (const n of NAMES.slice(1))
      expect(resumeStderr).toMatch(
        new RegExp(`sweep: ${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (starting|resuming)`),
      );
    const manifest = JSON.parse(await readFile(join(out, NAMES[0], 'manifest.json'), 'utf8')) as { updatedAt: string };
    expect(manifest.updatedAt).toBe(firstRun.updatedAt);
    expect((await stat(join(out, NAMES[0], 'report.html'))).mtimeMs).toBe(firstRun.reportMtime);
    const log = await readFile(join(out, 'logs', `${NAMES[0]}.log`), 'utf8');
    expect(log.match(/── train/g)).toHaveLength(1);
  });

  it('sweep.json records the base, the axes and four finished variants, each an ordinary run folder', async () => {
    const s = await readSweepState(out);
    expect(s?.axes.map((a) => [a.name, a.path, a.values.map((v) => v.label)])).toEqual([
      ['lr', 'schedule.0.lr', ['1e-3', '3e-3']],
      ['batch', 'schedule.0.batchSize', ['16', '32']],
    ]);
    expect(s?.variants.map((v) => [v.name, v.status])).toEqual(NAMES.map((n) => [n, 'finished']));
    for (const n of NAMES) {
      const m = JSON.parse(await readFile(join(out, n, 'manifest.json'), 'utf8')) as {
        status: string;
        config: { schedule: Array<{ lr: number; batchSize: number }> };
      };
      expect(m.status).toBe('finished');
      const [lr, batch] = n.split(',').map((p) => Number(p.split('=')[1]));
      expect(m.config.schedule[0]).toMatchObject({ lr, batchSize: batch });
      await stat(join(out, n, 'report.html'));
    }
  });

  it('index.html lists the four variants with their differing values and links to each report', async () => {
    const page = await readFile(join(out, 'index.html'), 'utf8');
    const rows = [...page.matchAll(/<tr data-run="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(NAMES);
    for (const [, name, body] of rows) {
      const settings = [...body.matchAll(/<td class="setting">([^<]*)<\/td>/g)].map((m) => m[1]);
      expect(settings).toEqual(name.split(',').map((p) => p.split('=')[1]));
      expect(body).toContain(`href="${encodeURIComponent(name)}/report.html"`);
      expect(body).toMatch(/<td class="state finished"/);
      expect(body).toMatch(/<td class="num accuracy">\d+\.\d%<\/td>/);
    }
    expect(page).toContain('data-plot="cmp-loss"');
    expect(page).toContain('data-plot="cmp-accuracy"');
    expect(page).toMatch(/data-plot="cmp-std-/);
    expect(page).not.toContain('<script');
  });

  it('compare-runs builds the same page for any run folders, columns = the config fields that differ', async () => {
    const file = join(dir, 'two.html');
    const r = spawnSync(
      TSX,
      ['pipeline/compare-runs/cli.ts', join(out, NAMES[0]), join(out, NAMES[3]), '--out', file],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const page = await readFile(file, 'utf8');
    const headers = [...page.matchAll(/<th>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(expect.arrayContaining(['lr', 'batch']));
    expect(headers).not.toContain('miniEpochs');
    expect([...page.matchAll(/<tr data-run=/g)]).toHaveLength(2);
    expect(page).toContain(`href="sweep/${encodeURIComponent(NAMES[3])}/report.html"`);
  });

  it('compare-runs on the sweep folder rebuilds its index.html (what a scheduler-run --plan ends with)', async () => {
    const before = (await stat(join(out, 'index.html'))).mtimeMs;
    const r = spawnSync(TSX, ['pipeline/compare-runs/cli.ts', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(out, 'index.html'));
    expect((await stat(join(out, 'index.html'))).mtimeMs).toBeGreaterThan(before);
    expect([...(await readFile(join(out, 'index.html'), 'utf8')).matchAll(/<tr data-run=/g)]).toHaveLength(4);
  });
});
