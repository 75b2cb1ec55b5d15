/**
 * Training img/s of model M (batch 64, Adam, the trainer's own step) on wasm, to compare thread
 * counts and kernel variants end to end:  TFJS_WASM_THREADS=1 npx tsx train/backend/bench/train-step.ts
 */
import { tfjsTrainImagesPerSecond } from '../../../test/bench/train-throughput.js';
import { describeBackend, selectBackend } from '../index.js';
import { settings } from '../../../settings/index.js';

const seconds = settings().benchSeconds;
console.log(describeBackend(await selectBackend('wasm')));
const imgS = tfjsTrainImagesPerSecond(
  { preset: 'model-m' },
  { height: 28, width: 28, channels: 1, classes: 10 },
  64,
  seconds,
);
console.log(`model M training: ${imgS.toFixed(1)} img/s`);
