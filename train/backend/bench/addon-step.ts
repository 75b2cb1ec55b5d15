/**
 * Model-M training img/s with a given native addon file instead of the cached build, to compare builds
 * (compile targets, threading) side by side:  npx tsx train/backend/bench/addon-step.ts ADDON.node [seconds]
 */
import { createRequire } from 'node:module';
import { tfjsTrainImagesPerSecond } from '../../../test/bench/train-throughput.js';
import { selectBackend } from '../index.js';
import { setActiveNative } from '../native/active.js';
import type { NativeKernels } from '../native/load.js';

const [addon, seconds = '8'] = process.argv.slice(2);
if (addon === undefined) throw new Error('usage: addon-step.ts ADDON.node [seconds]');
await selectBackend('wasm');
const kernels = createRequire(import.meta.url)(addon) as NativeKernels;
setActiveNative(kernels);
const imgS = tfjsTrainImagesPerSecond({ preset: 'model-m' }, { height: 28, width: 28, channels: 1, classes: 10 }, 64, Number(seconds));
console.log(`${addon}\t${kernels.describe()}\t${imgS.toFixed(1)} img/s`);
