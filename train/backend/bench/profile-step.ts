/**
 * Where a training step spends its time on wasm, per kernel (tf.profile; wasm kernels are synchronous
 * so kernelMs is wall time):  npx tsx train/backend/bench/profile-step.ts [model-m|seednet|alexnet] [native|wasm]
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../models/index.js';
import { createOptimizer } from '../../trainer/optimizer.js';
import { createTrainStep } from '../../trainer/train-step.js';
import { describeBackend, selectBackend } from '../index.js';
import { setActiveNative } from '../native/active.js';
import type { ModelSpecInput } from '../../models/index.js';

console.log(describeBackend(await selectBackend('wasm')));
const mnist = { height: 28, width: 28, channels: 1, classes: 10 };
const presets: Record<string, [ModelSpecInput, typeof mnist]> = {
  'model-m': [{ preset: 'model-m' }, mnist],
  seednet: [{ preset: 'seednet', width: 0.25 }, mnist],
  alexnet: [
    { preset: 'alexnet', width: 0.0625, stemKernel: 5, stemStride: 2 },
    { height: 64, width: 64, channels: 3, classes: 110 },
  ],
};
const [spec, input] = presets[process.argv[2] ?? 'model-m'] ?? presets['model-m'];
if (process.argv[3] === 'wasm') setActiveNative(null);
console.log(
  `${process.argv[2] ?? 'model-m'}, ${process.argv[3] === 'wasm' ? 'pure wasm kernels' : 'native kernels when available'}`,
);
const { model, penalties } = buildModel(input, spec);
const step = createTrainStep(model, penalties, input.classes);
const optimizer = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, 1e-3);
const x = tf.randomUniform([64, input.height, input.width, input.channels]) as tf.Tensor4D;
const y = tf.tensor1d(
  Array.from({ length: 64 }, (_, i) => i % input.classes),
  'int32',
);
for (let i = 0; i < 3; i++) step.run(x, y, optimizer, false);
const perKernel = new Map<string, number>();
const calls = new Map<string, number>();
const STEPS = 5;
let wall = 0;
for (let i = 0; i < STEPS; i++) {
  const t0 = performance.now();
  const info = await tf.profile(() => {
    step.run(x, y, optimizer, false);
  });
  wall += performance.now() - t0;
  for (const k of info.kernels) {
    perKernel.set(k.name, (perKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    calls.set(k.name, (calls.get(k.name) ?? 0) + 1);
  }
}
const total = [...perKernel.values()].reduce((a, b) => a + b, 0);
console.log(
  `per step: kernels ${(total / STEPS).toFixed(1)} ms, wall ${(wall / STEPS).toFixed(1)} ms (profiling adds overhead)`,
);
for (const [name, ms] of [...perKernel].sort((a, b) => b[1] - a[1]).slice(0, 18)) {
  console.log(
    `${name.padEnd(28)} ${(ms / STEPS).toFixed(1).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${String((calls.get(name) ?? 0) / STEPS).padStart(4)} calls`,
  );
}
