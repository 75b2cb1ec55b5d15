/**
 * The threaded wasm build boots in Node when asked for (the default is 1 thread when the native kernels run,
 * so this path needs its own test). Own file: wasm can be initialised only once per process.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackend, selectBackend } from '../../../train/backend/index.js';
import { activeNative, setActiveNative } from '../../../train/backend/native/active.js';

describe('wasm with 2 threads', () => {
  it('boots the threaded build, reports it and computes', async () => {
    const report = await selectBackend('wasm', { wasmThreads: 2 });
    expect(report.wasm).toMatchObject({ simd: true, threads: 2 });
    expect(report.wasm?.threadsFallback).toBeUndefined();
    expect(describeBackend(report)).toMatch(/^backend wasm \(SIMD, 2 threads\)/);
    const y = tf.conv2d(tf.ones([1, 8, 8, 4]) as tf.Tensor4D, tf.ones([3, 3, 4, 2]) as tf.Tensor4D, 1, 'valid');
    expect(Array.from(y.dataSync()).every((v) => v === 36)).toBe(true);
  });

  it("the native kernels work on the threaded build's shared heap", async () => {
    const native = activeNative();
    expect(native, 'native kernels should load here').not.toBeNull();
    let calls = 0;
    setActiveNative(
      new Proxy(native!, {
        get: (t, k, r) => ((calls += k === 'convBackpropFilter' ? 1 : 0), Reflect.get(t, k, r) as unknown),
      }),
    );
    try {
      // Σ conv(1, f) over a 6×6 valid output: every filter tap sees 36 ones.
      const dw = tf.grad((f: tf.Tensor) =>
        tf.sum(tf.conv2d(tf.ones([1, 8, 8, 4]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid')),
      )(tf.ones([3, 3, 4, 8]));
      expect(Array.from(dw.dataSync()).every((v) => v === 36)).toBe(true);
      expect(calls).toBeGreaterThan(0);
    } finally {
      setActiveNative(native);
    }
  });
});
