import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../index.js';
import { activeNative } from '../native/active.js';
const r = await selectBackend('wasm');
console.log(tf.getBackend(), activeNative() !== null, ['ActprobeAdamUpdate', 'ActprobeReluGrad', 'ActprobeBatchNormTrain'].map((k) => tf.getKernel(k, 'wasm') !== undefined), r.wasm);
console.log(typeof (activeNative() as any)?.adamUpdate, typeof (activeNative() as any)?.reluGrad);
