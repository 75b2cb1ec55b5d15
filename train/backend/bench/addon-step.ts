/**
 * Model-M training img/s with a given native addon file instead of the cached build, to compare builds
 * (compile targets, threading) side by side:  npx tsx train/backend/bench/addon-step.ts ADDON.node [seconds]
 */
import { createRequire } from 'node:module';
import { tfjsTrainImagesPerSecond } from '../../../test/bench/train-throughput.js';
import { selectBackend } from '../index.js';
import { setActiveNative } from '../native/active.js';
import type { NativeKernels } from '../native/load.js';

const [addon, seconds = '8', threads] = process.argv.slice(2);
if (addon === undefined) throw new Error('usage: addon-step.ts ADDON.node [seconds] [threads]');
await selectBackend('wasm');
const kernels = createRequire(import.meta.url)(addon) as NativeKernels;
if (threads !== undefined) kernels.setThreads(Number(threads));
setActiveNative(kernels);
// CPU time per image as well as img/s: on a shared host the wall clock mostly measures the neighbours.
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
const imgS = tfjsTrainImagesPerSecond(
  { preset: 'model-m' },
  { height: 28, width: 28, channels: 1, classes: 10 },
  64,
  Number(seconds),
);
const cpu = process.cpuUsage(cpuBefore);
const images = (imgS * (performance.now() - wallBefore)) / 1000; // approximate: includes the 3 warm-up steps' time
console.log(
  `${addon}\t${kernels.describe()}\t${imgS.toFixed(1)} img/s\t${((cpu.user + cpu.system) / 1000 / images).toFixed(3)} CPU ms/img`,
);
