/**
 * Training img/s per preset with the native kernels active vs the pure wasm kernels, interleaved in one
 * process so host drift hits both alike:  npx tsx train/backend/bench/native-vs-wasm.ts [seconds]
 */
import * as tf from '@tensorflow/tfjs';
import { tfjsTrainImagesPerSecond } from '../../../test/bench/train-throughput.js';
import { activeNative, setActiveNative } from '../native/active.js';
import { describeBackend, selectBackend } from '../index.js';

console.log(describeBackend(await selectBackend('wasm')));
const native = activeNative();
const seconds = Number(process.argv[2] ?? 4);
const mnist = { height: 28, width: 28, channels: 1, classes: 10 };
const cases = [
  ['model-m', { preset: 'model-m' }, mnist],
  ['seednet', { preset: 'seednet', width: 0.25 }, mnist],
  [
    'alexnet',
    { preset: 'alexnet', width: 0.0625, stemKernel: 5, stemStride: 2 },
    { height: 64, width: 64, channels: 3, classes: 110 },
  ],
] as const;
for (const [name, spec, input] of cases) {
  const r: Record<string, number> = {};
  for (const flavour of ['native', 'wasm', 'native', 'wasm'] as const) {
    setActiveNative(flavour === 'native' ? native : null);
    r[flavour] = Math.max(r[flavour] ?? 0, tfjsTrainImagesPerSecond(spec, input, 64, seconds));
  }
  console.log(
    `${name.padEnd(8)} native ${r.native.toFixed(0)} img/s, wasm ${r.wasm.toFixed(0)} img/s, ×${(r.native / r.wasm).toFixed(2)}`,
  );
}
tf.disposeVariables();
