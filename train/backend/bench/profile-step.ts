/**
 * Where a model-M training step spends its time on wasm, per kernel (tf.profile; wasm kernels
 * are synchronous so kernelMs is wall time):  npx tsx train/backend/bench/profile-step.ts
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../models/index.js';
import { createOptimizer } from '../../trainer/optimizer.js';
import { createTrainStep } from '../../trainer/train-step.js';
import { describeBackend, selectBackend } from '../index.js';

console.log(describeBackend(await selectBackend('wasm')));
const input = { height: 28, width: 28, channels: 1, classes: 10 };
const { model, penalties } = buildModel(input, { preset: 'model-m' });
const step = createTrainStep(model, penalties, input.classes);
const optimizer = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, 1e-3);
const x = tf.randomUniform([64, 28, 28, 1]) as tf.Tensor4D;
const y = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32');
for (let i = 0; i < 3; i++) step.run(x, y, optimizer, false);
const perKernel = new Map<string, number>();
const STEPS = 5;
let wall = 0;
for (let i = 0; i < STEPS; i++) {
  const t0 = performance.now();
  const info = await tf.profile(() => { step.run(x, y, optimizer, false); });
  wall += performance.now() - t0;
  for (const k of info.kernels) perKernel.set(k.name, (perKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
}
const total = [...perKernel.values()].reduce((a, b) => a + b, 0);
console.log(`per step: kernels ${(total / STEPS).toFixed(1)} ms, wall ${(wall / STEPS).toFixed(1)} ms (profiling adds overhead)`);
for (const [name, ms] of [...perKernel].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
  console.log(`${name.padEnd(28)} ${(ms / STEPS).toFixed(1).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
}
