/**
 * The native kernel addon: it builds and loads on a machine with g++ and Node's headers (CI's kind), reports
 * itself, and a build that cannot happen gives a reason instead of an exception, leaving the wasm kernels.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackend, selectBackend } from '../../../train/backend/index.js';
import * as tf from '@tensorflow/tfjs';
import { loadNativeKernels } from '../../../train/backend/native/load.js';
import { addonPath, buildInfoPath, cacheKey } from '../../../train/backend/native/build.js';
import { readCpuFeatures, X86_64_V3 } from '../../../train/backend/native/cpu-target.js';
import { ADAM_UPDATE, adamKernelReady } from '../../../train/backend/native/adam-kernel.js';
import {
  BATCH_NORM_GRAD,
  BATCH_NORM_TRAIN,
  batchNormKernelsReady,
} from '../../../train/backend/native/batchnorm-kernels.js';
import { RELU_GRAD } from '../../../train/backend/native/relu-grad.js';
import { noCompiler } from './parity.js';

const cache = mkdtempSync(join(tmpdir(), 'actprobe-native-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

// Where there is no compiler, these say "skipped: no C++ compiler" instead of failing (build-cli.test.ts
// covers what the user sees then).
const skipped = noCompiler();
const title = (name: string): string => (skipped === undefined ? name : `${name} — skipped: ${skipped}`);

describe.skipIf(skipped !== undefined)(title('native kernels'), () => {
  it('build and load here, and the wasm backend reports them', async () => {
    const native = loadNativeKernels();
    expect(native.ok, native.ok ? '' : native.reason).toBe(true);
    const line = describeBackend(await selectBackend('wasm'));
    expect(line).toMatch(
      /\+ native training kernels \(conv, batch norm, pooling, Adam; \d+ threads?, (AVX2\/FMA|portable) GEMM, x86-64-v3\)/,
    );
  });

  it('report why when the compiler is missing, without throwing', () => {
    const native = loadNativeKernels({ fresh: true, cxx: '/nonexistent/g++', cacheDir: cache });
    expect(native.ok).toBe(false);
    if (!native.ok)
      expect(native).toMatchObject({
        kind: 'toolchain',
        reason: 'no C++ compiler: /nonexistent/g++ not found (install g++ or clang++, or set CXX)',
      });
  });

  it('report why when Node headers are missing', () => {
    const native = loadNativeKernels({ fresh: true, cacheDir: cache, headerDirs: [cache] });
    expect(native.ok).toBe(false);
    if (!native.ok) expect(native.reason).toMatch(/node_api\.h not found/);
  });

  it('never run on a CPU without the features of their target: the reason names what is missing', () => {
    const old = {
      ok: true as const,
      source: 'simulated',
      features: new Set(['sse4_1', 'sse4_2', 'ssse3', 'popcnt', 'cx16', 'avx']),
    };
    const native = loadNativeKernels({ fresh: true, cacheDir: cache, cpu: old });
    expect(native.ok).toBe(false);
    if (!native.ok)
      expect(native.reason).toMatch(
        /this CPU lacks avx2, bmi1, bmi2, f16c, fma, movbe, abm, xsave \(simulated\), which the x86-64-v3 native kernels need/,
      );
    const unknown = loadNativeKernels({
      fresh: true,
      cacheDir: cache,
      cpu: { ok: false, reason: 'simulated: no /proc' },
    });
    expect(unknown.ok ? '' : unknown.reason).toMatch(/cannot tell whether this CPU runs them: simulated: no \/proc/);
  });

  it("key the cache by the CPU: another feature set never finds this CPU's addon", () => {
    const here = readCpuFeatures();
    if (!here.ok) throw new Error(here.reason);
    const other = new Set([...X86_64_V3.requires]);
    expect(cacheKey('g++', 'x64', other)).not.toBe(cacheKey('g++', 'x64', here.features));
    expect(cacheKey('g++', 'x64', here.features)).toMatch(/^x86-64-v3-[0-9a-f]{16}$/);
  });

  it('refuse a cached addon whose build info asks for features this CPU lacks (a foreign cache)', () => {
    const built = loadNativeKernels();
    if (!built.ok) throw new Error(built.reason);
    // A CPU with exactly the x86-64-v3 features, and in its cache slot an addon built for AVX-512.
    const cpu = { ok: true as const, source: 'simulated', features: new Set(X86_64_V3.requires) };
    const foreign = addonPath({ cxx: 'g++', arch: 'x64', cacheDir: cache, cpuFeatures: cpu.features });
    mkdirSync(dirname(foreign), { recursive: true });
    copyFileSync(built.path, foreign);
    const info = JSON.parse(readFileSync(buildInfoPath(built.path), 'utf8')) as { target: string; requires: string[] };
    writeFileSync(
      buildInfoPath(foreign),
      JSON.stringify({ ...info, target: 'x86-64-v4', requires: [...info.requires, 'avx512f'] }),
    );
    const native = loadNativeKernels({ fresh: true, cxx: 'g++', cacheDir: cache, cpu });
    expect(native.ok).toBe(false);
    if (!native.ok)
      expect(native.reason).toMatch(/was built for x86-64-v4, and this CPU lacks avx512f: delete it to rebuild/);
    rmSync(buildInfoPath(foreign));
    const noInfo = loadNativeKernels({ fresh: true, cxx: 'g++', cacheDir: cache, cpu });
    expect(noInfo.ok ? '' : noInfo.reason).toMatch(/build-info\.json is missing or unreadable/);
  });

  it('stay off on non-x86 CPUs unless forced, and off when ACTPROBE_NATIVE=0', () => {
    const arm = loadNativeKernels({ fresh: true, cacheDir: cache, arch: 'arm64' });
    expect(arm.ok ? '' : arm.reason).toMatch(
      /on arm64 the native kernels would run a portable scalar GEMM, not measured against tfjs-wasm's XNNPACK kernels; ACTPROBE_NATIVE=1 forces them/,
    );
    const off = loadNativeKernels({ fresh: true, cacheDir: cache, mode: 'off' });
    expect(off.ok ? '' : off.reason).toBe('disabled by ACTPROBE_NATIVE=0');
  });

  it('reject arguments of the wrong type with a TypeError naming them', () => {
    const native = loadNativeKernels();
    if (!native.ok) throw new Error(native.reason);
    const shape = Int32Array.from([1, 3, 3, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1]);
    const f = new Float32Array(9);
    expect(() => native.kernels.convForward(f, [1] as unknown as Float32Array, null, f, shape, 0)).toThrow(
      /filter must be a Float32Array/,
    );
    expect(() => native.kernels.convForward(f, f, null, f, new Int32Array(3), 0)).toThrow(
      /shape must hold 15 integers/,
    );
    expect(() => native.kernels.convForward(new Float32Array(8), f, null, f, shape, 0)).toThrow(
      /x holds 8 floats, the shape needs 9/,
    );
  });
});

describe.skipIf(skipped !== undefined)(title('native kernels on the wasm backend'), () => {
  it('every added kernel is registered and reports ready', async () => {
    await selectBackend('wasm');
    for (const k of [BATCH_NORM_TRAIN, BATCH_NORM_GRAD, RELU_GRAD, ADAM_UPDATE])
      expect(tf.getKernel(k, 'wasm'), k).toBeDefined();
    expect(batchNormKernelsReady()).toBe(true);
    expect(adamKernelReady()).toBe(true);
  });
});
