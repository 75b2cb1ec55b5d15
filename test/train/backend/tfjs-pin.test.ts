/**
 * The tfjs versions the private-part speed-ups were written against: package.json pins exactly them, and a
 * different installed version (simulated) turns those parts off with the reason on the backend line, while
 * an Adam step through fused Adam and the fast batch norm still matches the cpu backend.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackend, selectBackend } from '../../../train/backend/index.js';
import { adamKernelReady } from '../../../train/backend/native/adam-kernel.js';
import { batchNormKernelsReady } from '../../../train/backend/native/batchnorm-kernels.js';
import { TFJS_WRITTEN_AGAINST, tfjsVersionMismatch, type TfjsVersions } from '../../../train/backend/tfjs-pin.js';
import { batchNormalization } from '../../../train/models/fast-batch-norm.js';
import { FusedAdamOptimizer } from '../../../train/trainer/fused-adam.js';
import { randomHost, relativeError, type HostTensor } from './parity.js';

const pinned: TfjsVersions = {
  '@tensorflow/tfjs-core': TFJS_WRITTEN_AGAINST,
  '@tensorflow/tfjs-layers': TFJS_WRITTEN_AGAINST,
  '@tensorflow/tfjs-backend-wasm': TFJS_WRITTEN_AGAINST,
};

describe('tfjs version pin', () => {
  it('package.json pins exactly the versions the kernels were written against, and they are installed', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
      optionalDependencies: Record<string, string>;
    };
    expect(pkg.dependencies['@tensorflow/tfjs']).toBe(TFJS_WRITTEN_AGAINST);
    expect(pkg.dependencies['@tensorflow/tfjs-backend-wasm']).toBe(TFJS_WRITTEN_AGAINST);
    expect(pkg.optionalDependencies['@tensorflow/tfjs-node-gpu']).toBe(TFJS_WRITTEN_AGAINST);
    expect(tf.version['tfjs-core']).toBe(TFJS_WRITTEN_AGAINST);
    expect(tfjsVersionMismatch(pinned)).toBeUndefined();
  });

  it('another version turns the private-part speed-ups off, says so, and a training step still matches cpu', async () => {
    const report = await selectBackend('wasm', {
      tfjsVersions: { ...pinned, '@tensorflow/tfjs-core': '4.23.0' },
      wasmThreads: 2,
    });
    expect(describeBackend(report)).toMatch(
      /^backend wasm \(SIMD, 1 thread\) without native kernels \(@tensorflow\/tfjs-core 4\.23\.0 installed, but the native kernels, threaded wasm, fused Adam and batch norm use private parts of 4\.22\.0, so tfjs' stock code runs/,
    );
    expect(adamKernelReady()).toBe(false);
    expect(batchNormKernelsReady()).toBe(false);
    // Trainable weights first (conv, gamma, beta, dense), then the moving mean and variance (> 0).
    const init = [
      randomHost([3, 3, 2, 4], 1),
      randomHost([4], 2),
      randomHost([4], 3),
      randomHost([100, 3], 4),
      randomHost([4], 5),
      randomHost([4], 6),
    ];
    init[5].values = init[5].values.map((v) => 1 + Math.abs(v));
    const x = randomHost([6, 5, 5, 2], 7);
    const wasm = await adamStep('wasm', init, x);
    const cpu = await adamStep('cpu', init, x);
    wasm.forEach((w, i) => expect(relativeError(w, cpu[i]), `weight ${i}`).toBeLessThan(1e-4));
  });
});

async function adamStep(backend: 'wasm' | 'cpu', init: HostTensor[], x: HostTensor): Promise<HostTensor[]> {
  await tf.setBackend(backend);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 4, kernelSize: 3, padding: 'same', useBias: false }),
      batchNormalization({}),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, useBias: false, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: new FusedAdamOptimizer(0.01, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy' });
  model.setWeights(init.map((h) => tf.tensor(h.values, h.shape)));
  const xt = tf.tensor(x.values, x.shape);
  const yt = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
  await model.trainOnBatch(xt, yt);
  const out = model.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() as Float32Array }));
  tf.dispose([xt, yt]);
  model.dispose();
  return out;
}
