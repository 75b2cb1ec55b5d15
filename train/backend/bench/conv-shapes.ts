/**
 * Native vs wasm (XNNPACK-based) time per conv kernel for the conv shapes of the presets, interleaved in one
 * process:  npx tsx train/backend/bench/conv-shapes.ts
 */
import * as tf from '@tensorflow/tfjs';
import { activeNative, setActiveNative } from '../native/active.js';
import { selectBackend } from '../index.js';

await selectBackend('wasm');
const native = activeNative();
// [name, n, h, w, cin, cout, k, stride]
const shapes: Array<[string, number, number, number, number, number, number, number]> = [
  ['alex1', 64, 64, 64, 3, 4, 5, 2],
  ['alex2', 64, 15, 15, 4, 12, 5, 1],
  ['alex3', 64, 7, 7, 12, 24, 3, 1],
  ['alex4', 64, 7, 7, 24, 16, 3, 1],
  ['seed1', 64, 28, 28, 1, 8, 3, 1],
  ['seed2', 64, 28, 28, 8, 16, 3, 1],
  ['seed3', 64, 14, 14, 16, 16, 3, 1],
  ['seed4', 64, 7, 7, 16, 32, 3, 1],
  ['seed7', 64, 4, 4, 32, 64, 3, 1],
  ['m1', 64, 28, 28, 1, 32, 3, 1],
  ['m2', 64, 14, 14, 32, 64, 3, 1],
  ['m3', 64, 7, 7, 64, 128, 3, 1],
];
const time = (f: () => tf.Tensor): number => {
  for (let i = 0; i < 3; i++) f().dispose();
  const t = performance.now();
  let n = 0;
  while (performance.now() - t < 150) {
    f().dispose();
    n++;
  }
  return (performance.now() - t) / n;
};
for (const [name, n, h, w, cin, cout, k, s] of shapes) {
  const x = tf.randomUniform([n, h, w, cin]) as tf.Tensor4D;
  const f = tf.randomUniform([k, k, cin, cout]) as tf.Tensor4D;
  const y = tf.conv2d(x, f, s, 'same');
  const ops = {
    fwd: () => tf.conv2d(x, f, s, 'same'),
    dW: () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy: y },
          { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: f.shape },
        ) as tf.Tensor,
    dx: () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy: y, filter: f },
          { strides: s, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape },
        ) as tf.Tensor,
  };
  const cells: string[] = [];
  for (const [op, fn] of Object.entries(ops)) {
    const r = { native: Infinity, wasm: Infinity };
    for (const flavour of ['native', 'wasm', 'native', 'wasm'] as const) {
      setActiveNative(flavour === 'native' ? native : null);
      r[flavour] = Math.min(r[flavour], time(fn));
    }
    cells.push(`${op} ${r.native.toFixed(2)}/${r.wasm.toFixed(2)}`);
  }
  setActiveNative(native);
  console.log(`${name.padEnd(6)} ms native/wasm: ${cells.join('  ')}`);
  tf.dispose([x, f, y]);
}
