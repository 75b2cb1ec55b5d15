/**
 * The native kernel addon: it builds and loads on a machine with g++ and Node's headers (CI's kind), reports
 * itself, and a build that cannot happen gives a reason instead of an exception, leaving the wasm kernels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackend, selectBackend } from '../../../train/backend/index.js';
import * as tf from '@tensorflow/tfjs';
import { loadNativeKernels } from '../../../train/backend/native/load.js';
import { ADAM_UPDATE, adamKernelReady } from '../../../train/backend/native/adam-kernel.js';
import { BATCH_NORM_GRAD, BATCH_NORM_TRAIN, batchNormKernelsReady } from '../../../train/backend/native/batchnorm-kernels.js';
import { RELU_GRAD } from '../../../train/backend/native/relu-grad.js';

const cache = mkdtempSync(join(tmpdir(), 'actprobe-native-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('native kernels', () => {
  it('build and load here, and the wasm backend reports them', async () => {
    const native = loadNativeKernels();
    expect(native.ok, native.ok ? '' : native.reason).toBe(true);
    const line = describeBackend(await selectBackend('wasm'));
    expect(line).toMatch(/\+ native training kernels \(conv, batch norm, pooling, Adam; \d+ threads?, (AVX2\/FMA|portable) GEMM\)/);
  });

  it('report why when the compiler is missing, without throwing', () => {
    const native = loadNativeKernels({ fresh: true, cxx: '/nonexistent/g++', cacheDir: cache });
    expect(native.ok).toBe(false);
    if (!native.ok) expect(native.reason).toMatch(/compiling the native kernels with \/nonexistent\/g\+\+ failed/);
  });

  it('report why when Node headers are missing', () => {
    const native = loadNativeKernels({ fresh: true, cacheDir: cache, headerDirs: [cache] });
    expect(native.ok).toBe(false);
    if (!native.ok) expect(native.reason).toMatch(/node_api\.h not found/);
  });

  it('reject arguments of the wrong type with a TypeError naming them', () => {
    const native = loadNativeKernels();
    if (!native.ok) throw new Error(native.reason);
    const shape = Int32Array.from([1, 3, 3, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1]);
    const f = new Float32Array(9);
    expect(() => native.kernels.convForward(f, [1] as unknown as Float32Array, null, f, shape, 0)).toThrow(/filter must be a Float32Array/);
    expect(() => native.kernels.convForward(f, f, null, f, new Int32Array(3), 0)).toThrow(/shape must hold 15 integers/);
    expect(() => native.kernels.convForward(new Float32Array(8), f, null, f, shape, 0)).toThrow(/x holds 8 floats, the shape needs 9/);
  });
});

describe('native kernels on the wasm backend', () => {
  it('every added kernel is registered and reports ready', async () => {
    await selectBackend('wasm');
    for (const k of [BATCH_NORM_TRAIN, BATCH_NORM_GRAD, RELU_GRAD, ADAM_UPDATE]) expect(tf.getKernel(k, 'wasm'), k).toBeDefined();
    expect(batchNormKernelsReady()).toBe(true);
    expect(adamKernelReady()).toBe(true);
  });
});
