/**
 * ms per kernel call, stock wasm vs actprobe's kernels, at model-M sizes (batch 64, 3×3 'same').
 *   npx tsx train/backend/bench/kernels.ts            (TFJS_WASM_THREADS=1 for the single-thread build)
 * Medians of BENCH_REPS calls (--skip-cpu leaves out the slow cpu-backend column) after 2 warm-ups; the host is noisy (±15%).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describeBackend, selectBackend } from '../index.js';
import { settings } from '../../../settings/index.js';

const REPS = settings().benchReps;
const LAYERS = [
  { name: '28×28×1→32', x: [64, 28, 28, 1], f: [3, 3, 1, 32] },
  { name: '14×14×32→64', x: [64, 14, 14, 32], f: [3, 3, 32, 64] },
  { name: '7×7×64→128', x: [64, 7, 7, 64], f: [3, 3, 64, 128] },
];
const DENSE = [{ name: 'x[64,1152]·dy[64,128]', a: [64, 1152], b: [64, 128] }];

// The stock kernels, captured before selectBackend installs the overrides.
const stockBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc;
const stockMatMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
if (stockBackpropInput === undefined || stockMatMul === undefined) throw new Error('wasm kernels not registered');

function medianMs(call: () => tf.TensorInfo, reps = REPS): number {
  const times: number[] = [];
  for (let i = 0; i < reps + 2; i++) {
    const t0 = performance.now();
    const out = call();
    const dt = performance.now() - t0;
    tf.backend().disposeData(out.dataId);
    if (i >= 2) times.push(dt);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function kernel(
  name: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  func?: tf.KernelFunc,
): () => tf.TensorInfo {
  const f = func ?? tf.getKernel(name, tf.getBackend())?.kernelFunc;
  if (f === undefined) throw new Error(`no ${name} on ${tf.getBackend()}`);
  return () => f({ inputs, attrs, backend: tf.backend() }) as tf.TensorInfo;
}

const fmt = (ms: number): string => ms.toFixed(2).padStart(8);

async function main(): Promise<void> {
  const report = await selectBackend('wasm');
  console.log(describeBackend(report));
  console.log('layer           Conv2D  BPInput stock  BPInput new  BPFilter new  BPFilter cpu-backend');
  for (const l of LAYERS) {
    await tf.setBackend('wasm');
    const x = tf.randomNormal(l.x);
    const f = tf.randomNormal(l.f);
    const dy = tf.randomNormal([l.x[0], l.x[1], l.x[2], l.f[3]]);
    const conv = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
    const fwd = medianMs(kernel('Conv2D', { x, filter: f }, conv));
    const bpiAttrs = { ...conv, inputShape: l.x };
    const bpiStock = medianMs(kernel('Conv2DBackpropInput', { dy, filter: f }, bpiAttrs, stockBackpropInput));
    const bpiNew = medianMs(kernel('Conv2DBackpropInput', { dy, filter: f }, bpiAttrs));
    const bpfAttrs = { ...conv, filterShape: l.f };
    const bpfNew = medianMs(kernel('Conv2DBackpropFilter', { x, dy }, bpfAttrs));
    await tf.setBackend('cpu');
    const bpfCpu = process.argv.includes('--skip-cpu')
      ? NaN
      : medianMs(kernel('Conv2DBackpropFilter', { x, dy }, bpfAttrs), 1);
    tf.dispose([x, f, dy]);
    console.log(
      `${l.name.padEnd(13)} ${fmt(fwd)} ${fmt(bpiStock)}      ${fmt(bpiNew)}    ${fmt(bpfNew)}     ${fmt(bpfCpu)}`,
    );
  }
  await tf.setBackend('wasm');
  for (const d of DENSE) {
    const a = tf.randomNormal(d.a);
    const b = tf.randomNormal(d.b);
    const attrs = { transposeA: true, transposeB: false };
    const stock = medianMs(kernel('BatchMatMul', { a, b }, attrs, stockMatMul));
    const ours = medianMs(kernel('BatchMatMul', { a, b }, attrs));
    console.log(`matMul transposeA ${d.name}: stock ${fmt(stock)} ms, explicit transpose ${fmt(ours)} ms`);
    tf.dispose([a, b]);
  }
}

await main();
