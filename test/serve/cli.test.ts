/** `npm run serve` as users run it: --help, refusals, and SIGTERM draining a request in flight. */
import { spawn, spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAY, makeRunFolder, pngImage, tempDir } from './fixtures.js';

let root: string;
const CLI = ['--import', 'tsx', 'serve/cli.ts'];
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

beforeAll(async () => {
  root = await tempDir('cli');
  await makeRunFolder(join(root, 'gray'), GRAY);
});
afterAll(() => rm(root, { recursive: true, force: true }));

function get(port: number, agent: Agent, path: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    request({ agent, host: '127.0.0.1', port, path }, (res) =>
      res.resume().on('end', () => resolve({ status: res.statusCode ?? 0 })),
    )
      .on('error', reject)
      .end();
  });
}

describe('serve CLI', () => {
  it('--help lists the options', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--models <dir>', '--host <host>', '--port <port>', '--token <token>'])
      expect(r.stdout).toContain(flag);
  });

  it('refuses a non-loopback host without --token', () => {
    const r = cli('--models', root, '--host', '0.0.0.0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without --token/);
  });

  it('names a missing models folder', () => {
    const r = cli('--models', join(root, 'nowhere'), '--port', '0');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nowhere: no such folder/);
  });

  it('on SIGTERM finishes the request in flight, stops accepting, exits 0', async () => {
    const child = spawn(process.execPath, [...CLI, '--models', root, '--port', '0', '--token', 'tok'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = lines.map((l) => /"msg":"listening","url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(l)).find(Boolean);
        if (m) resolve(Number(m[1]));
        if (child.exitCode !== null) reject(new Error(`exited early: ${lines.join('\n')}`));
      }, 50);
      void exited.then(() => clearInterval(timer));
      setTimeout(() => clearInterval(timer), 60_000).unref();
    });
    const png = await pngImage(28, 28, 1);
    // One keep-alive socket, already accepted by a first request, so SIGTERM cannot race the accept.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, agent, '/v2/health/live')).status).toBe(200);
    // Half the body now, SIGTERM, the rest later: the server must wait for it.
    const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/models/gray/classify',
          headers: { 'content-type': 'image/png', 'content-length': png.length, authorization: 'Bearer tok' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write(png.subarray(0, 100));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(png.subarray(100)), 500);
      }, 200);
    });
    const r = await reply;
    agent.destroy();
    expect(r.status, r.body).toBe(200);
    expect(JSON.parse(r.body).model).toBe('gray');
    await expect(fetch(`http://127.0.0.1:${port}/v2/health/live`)).rejects.toThrow();
    expect(await exited).toBe(0);
    expect(lines.some((l) => l.includes('"msg":"shutting down","signal":"SIGTERM"'))).toBe(true);
    expect(lines.at(-1)).toContain('"msg":"stopped"');
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request' && l.method === 'POST');
    expect(logged).toMatchObject({ method: 'POST', route: '/v1/models/:name/classify', status: 200 });
  });
});
