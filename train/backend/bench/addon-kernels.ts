/**
 * Native conv kernels of two or more addon builds at model-M shapes (batch 64, 3×3 'same'), alternating
 * between builds call by call, reporting each build's fastest and median ms per call. The fastest of many
 * calls is the figure that survives a shared, busy host; the alternation keeps the builds on equal terms.
 *   npx tsx train/backend/bench/addon-kernels.ts A.node B.node [--threads N] [--reps N]
 */
import { createRequire } from 'node:module';
import type { NativeKernels } from '../native/load.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const addons = args.filter((a, i) => a.endsWith('.node') && !['--threads', '--reps'].includes(args[i - 1] ?? ''));
const threads = option('--threads', 2);
const reps = option('--reps', 40);
const require = createRequire(import.meta.url);
const builds = addons.map((path) => {
  const k = require(path) as NativeKernels;
  k.setThreads(threads);
  return { path, k };
});

const LAYERS = [
  { name: '28×28×1→32', h: 28, cin: 1, cout: 32 },
  { name: '14×14×32→64', h: 14, cin: 32, cout: 64 },
  { name: '7×7×64→128', h: 7, cin: 64, cout: 128 },
];
const random = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

for (const l of LAYERS) {
  const n = 64;
  const shape = Int32Array.from([n, l.h, l.h, l.cin, l.h, l.h, l.cout, 3, 3, 1, 1, 1, 1, 1, 1]);
  const x = random(n * l.h * l.h * l.cin),
    w = random(9 * l.cin * l.cout),
    y = random(n * l.h * l.h * l.cout);
  const dx = new Float32Array(x.length),
    dw = new Float32Array(w.length),
    out = new Float32Array(y.length);
  const calls: Array<[string, (k: NativeKernels) => void]> = [
    ['forward', (k) => k.convForward(x, w, null, out, shape, 0)],
    ['backprop filter', (k) => k.convBackpropFilter(x, y, dw, shape)],
    ['backprop input', (k) => k.convBackpropInput(y, w, dx, shape)],
  ];
  for (const [what, call] of calls) {
    const times = builds.map(() => [] as number[]);
    for (let r = 0; r < reps + 2; r++) {
      builds.forEach((b, i) => {
        const t0 = performance.now();
        call(b.k);
        if (r >= 2) times[i].push(performance.now() - t0);
        sleep(3); // lets the other build's spinning workers go to sleep first
      });
    }
    const cells = times.map((t) => {
      const s = [...t].sort((a, b) => a - b);
      return `${s[0].toFixed(3)} / ${s[s.length >> 1].toFixed(3)}`;
    });
    console.log(
      `${l.name.padEnd(12)} ${what.padEnd(16)} ${cells.join('   ')}   (min / median ms; ${builds.map((b) => b.path).join(', ')}; ${threads} threads)`,
    );
  }
}
