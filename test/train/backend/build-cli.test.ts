/**
 * `npm run build:native` and npm's postinstall: their exit codes and what they print, with the compiler
 * replaced (missing, failing) through CXX and a throwaway cache, so nothing here depends on g++ existing.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv } from '../../../settings/index.js';

const cache = mkdtempSync(join(tmpdir(), 'actprobe-build-cli-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const failing = join(cache, 'failing-cxx');
writeFileSync(failing, '#!/bin/sh\necho "module.cc:1: error: simulated compiler failure" >&2\nexit 1\n');
chmodSync(failing, 0o755);

function buildCli(cxx: string, ...args: string[]): { status: number | null; out: string } {
  const env = childEnv({ CXX: cxx, ACTPROBE_NATIVE_CACHE: cache }, { withSettings: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'train/backend/native/build-cli.ts', ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('build:native and postinstall', () => {
  it('build:native exits 1 without a compiler; postinstall prints why and passes', () => {
    const build = buildCli('/nonexistent/g++');
    expect(build.status, build.out).toBe(1);
    expect(build.out).toContain('no C++ compiler: /nonexistent/g++ not found (install g++ or clang++, or set CXX)');
    const post = buildCli('/nonexistent/g++', '--postinstall');
    expect(post.status, post.out).toBe(0);
    expect(post.out).toContain('native kernels not built, training will use the wasm kernels: no C++ compiler');
  });

  it('a compiler that fails fails both, naming the error and the way out', () => {
    for (const args of [[], ['--postinstall']]) {
      const r = buildCli(failing, ...args);
      expect(r.status, r.out).toBe(1);
      expect(r.out).toContain(
        `compiling the native kernels with ${failing} failed: module.cc:1: error: simulated compiler failure`,
      );
    }
    expect(buildCli(failing, '--postinstall').out).toContain(
      'set ACTPROBE_NATIVE=0 to install without the native kernels',
    );
  });
});
