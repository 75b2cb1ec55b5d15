/**
 * One real Keras training step (conv → BN → relu → pool → strided conv → dense) on wasm against
 * cpu: checks that every kernel a step touches (fused conv, its filter gradient, BN and its Tile,
 * pooling, matMul with transposes) is present on wasm and agrees with the reference.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../train/backend/index.js';
import { batchNormalization } from '../../../train/models/fast-batch-norm.js';
import { FusedAdamOptimizer } from '../../../train/trainer/fused-adam.js';
import { expectNativeCalls, forEachWasmFlavour, randomHost, relativeError, type HostTensor } from './parity.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

function buildModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [9, 9, 2], filters: 4, kernelSize: 3, padding: 'same', useBias: false }),
      batchNormalization({}),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
}

async function trainOneStep(
  backend: 'wasm' | 'cpu',
  init: HostTensor[],
  x: HostTensor,
  labels: number[],
): Promise<HostTensor[]> {
  await tf.setBackend(backend);
  const model = buildModel();
  model.setWeights(init.map((h) => tf.tensor(h.values, h.shape)));
  const xt = tf.tensor(x.values, x.shape);
  const yt = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  const loss = await model.trainOnBatch(xt, yt);
  const out = model.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() as Float32Array }));
  out.push({ shape: [], values: Float32Array.of(Array.isArray(loss) ? loss[0] : loss) });
  tf.dispose([xt, yt]);
  model.dispose();
  return out;
}

describe('a Keras training step on wasm matches cpu', () => {
  it('conv + BN + relu + pool + strided conv + dense, one SGD step', async () => {
    await tf.setBackend('cpu');
    const shapes = buildModel()
      .getWeights()
      .map((w) => w.shape);
    const MOVING_VARIANCE = 4; // conv kernel, BN gamma, beta, moving mean, moving variance, …
    const init = shapes.map((s, i) => {
      const h = randomHost(s, 100 + i);
      // Variance must be positive; the rest is scaled down so the softmax does not saturate.
      h.values = h.values.map((v) => (i === MOVING_VARIANCE ? 1 + Math.abs(v) : 0.3 * v));
      return h;
    });
    const x = randomHost([8, 9, 9, 2], 7);
    const labels = [0, 1, 2, 0, 1, 2, 0, 1];
    const runs = await forEachWasmFlavour(() => trainOneStep('wasm', init, x, labels));
    const cpu = await trainOneStep('cpu', init, x, labels);
    expectNativeCalls(runs, [
      'convForward',
      'convBackpropFilter',
      'batchNormTrain',
      'batchNormGrad',
      'reluGrad',
      'maxPoolGrad',
    ]);
    for (const { flavour, result: wasm } of runs) {
      expect(wasm.length).toBe(shapes.length + 1);
      // Weights, BN moving mean/variance and the loss.
      wasm.forEach((w, i) =>
        expect(relativeError(w, cpu[i]), `${flavour}: weight ${i} [${w.shape.join(',')}]`).toBeLessThan(1e-4),
      );
      // The step must have changed the weights and the moving statistics, otherwise the comparison proves nothing.
      expect(relativeError(wasm[0], init[0])).toBeGreaterThan(1e-3);
      expect(relativeError(wasm[MOVING_VARIANCE], init[MOVING_VARIANCE])).toBeGreaterThan(1e-3);
    }
  });
});

describe('the fused Adam update on wasm matches tfjs Adam on cpu', () => {
  it('three steps on two variables, weights and both moment slots', async () => {
    const init = [randomHost([3, 3, 4, 8], 31), randomHost([300], 32)];
    const target = [randomHost([3, 3, 4, 8], 33), randomHost([300], 34)];
    const run = async (backend: 'wasm' | 'cpu'): Promise<HostTensor[]> => {
      await tf.setBackend(backend);
      const vars = init.map((h, i) => tf.variable(tf.tensor(h.values, h.shape), true, `adam_parity_${backend}_${i}`));
      const goals = target.map((h) => tf.tensor(h.values, h.shape));
      const opt =
        backend === 'wasm' ? new FusedAdamOptimizer(0.05, 0.9, 0.999, 1e-7) : tf.train.adam(0.05, 0.9, 0.999, 1e-7);
      for (let step = 0; step < 3; step++) {
        opt.minimize(
          () =>
            tf.addN(
              vars.map((v, i) =>
                tf.sum(tf.mul(tf.square(tf.sub(v, goals[i])), tf.sin(tf.range(0, v.size).reshape(v.shape)))),
              ),
            ) as tf.Scalar,
          false,
          vars,
        );
      }
      const slots = (await opt.getWeights()).slice(1).map((w) => w.tensor);
      const out = [...vars, ...slots].map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
      opt.dispose();
      tf.dispose([...vars, ...goals]);
      return out;
    };
    const runs = await forEachWasmFlavour(() => run('wasm'));
    const cpu = await run('cpu');
    expectNativeCalls(runs, ['adamUpdate']);
    for (const { flavour, result } of runs) {
      expect(result.length).toBe(6); // 2 weights, 2 first moments, 2 second moments
      result.forEach((w, i) => expect(relativeError(w, cpu[i]), `${flavour}: tensor ${i}`).toBeLessThan(1e-4));
    }
    expect(relativeError(cpu[0], init[0])).toBeGreaterThan(1e-3);
  });
});
