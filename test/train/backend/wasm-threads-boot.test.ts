/**
 * The threaded wasm build boots in Node when asked for (the default is 1 thread when the native kernels run,
 * so this path needs its own test). Own file: wasm can be initialised only once per process.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackend, selectBackend } from '../../../train/backend/index.js';

describe('wasm with 2 threads', () => {
  it('boots the threaded build, reports it and computes', async () => {
    const report = await selectBackend('wasm', { wasmThreads: 2 });
    expect(report.wasm).toMatchObject({ simd: true, threads: 2 });
    expect(report.wasm?.threadsFallback).toBeUndefined();
    expect(describeBackend(report)).toMatch(/^backend wasm \(SIMD, 2 threads\)/);
    const y = tf.conv2d(tf.ones([1, 8, 8, 4]) as tf.Tensor4D, tf.ones([3, 3, 4, 2]) as tf.Tensor4D, 1, 'valid');
    expect(Array.from(y.dataSync()).every((v) => v === 36)).toBe(true);
  });
});
