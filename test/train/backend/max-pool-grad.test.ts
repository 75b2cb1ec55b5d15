import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../train/backend/index.js';
import { expectNativeCalls, forEachWasmFlavour } from './parity.js';

// The stock wasm MaxPoolGrad got every one of these wrong except the single-image, single-channel case.
const cases: Array<[string, [number, number, number, number], number, number, 'same' | 'valid']> = [
  ['2×2/2 same, even 8×8, 2 images × 4 channels', [2, 8, 8, 4], 2, 2, 'same'],
  ['2×2/2 same, odd 5×5 (padded windows)', [2, 5, 5, 16], 2, 2, 'same'],
  ['2×2/2 valid, odd 5×5 (last row unused)', [2, 5, 5, 4], 2, 2, 'valid'],
  ['3×3/2 valid, overlapping (AlexNet)', [2, 13, 13, 5], 3, 2, 'valid'],
  ['3×3/1 same, non-square 6×7', [3, 6, 7, 2], 3, 1, 'same'],
  ['2×2/2 same, 16 images × 16 channels (two native threads)', [16, 32, 32, 16], 2, 2, 'same'],
];

describe('MaxPoolGrad on wasm equals the cpu backend', () => {
  it.each(cases)('%s', async (_name, shape, size, stride, pad) => {
    await selectBackend('wasm');
    const values = tf.randomUniform(shape, -1, 1, 'float32', 11).dataSync();
    const f = (t: tf.Tensor): tf.Tensor => tf.sum(tf.square(tf.maxPool(t as tf.Tensor4D, size, stride, pad)));
    const gradOf = (): Float32Array => tf.tidy(() => tf.grad(f)(tf.tensor(values, shape))).dataSync() as Float32Array;
    const runs = await forEachWasmFlavour(async () => gradOf());
    await tf.setBackend('cpu');
    const cpu = gradOf();
    await tf.setBackend('wasm');
    expectNativeCalls(runs, ['maxPoolGrad']);
    for (const { flavour, result: wasm } of runs) {
      let worst = 0;
      for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i] - wasm[i]));
      expect(worst, flavour).toBeLessThan(1e-5);
    }
  });
});
