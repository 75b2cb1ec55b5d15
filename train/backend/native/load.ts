/**
 * Loads the native kernel addon (building it on first use), or says why not. The result is cached for the
 * process; ACTPROBE_NATIVE=0 turns the native path off.
 */
import { createRequire } from 'node:module';
import { buildNativeKernels, type BuildOptions } from './build.js';

/** Float32Array arguments are views of tfjs-wasm's heap; shapes are ConvShape Int32Arrays (see convShape in conv-kernels.ts). */
export interface NativeKernels {
  convForward(x: Float32Array, filter: Float32Array, bias: Float32Array | null, y: Float32Array, shape: Int32Array, activation: 0 | 1): void;
  convBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, shape: Int32Array): void;
  convBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, shape: Int32Array): void;
  /** c[batch] = op(a) · op(b): a is [batchA, m, k] (or [batchA, k, m] transposed), b [batchB, k, n] (or [batchB, n, k]). */
  batchMatMul(a: Float32Array, b: Float32Array, c: Float32Array, batchA: number, batchB: number, m: number, n: number, k: number, transposeA: 0 | 1, transposeB: 0 | 1): void;
  /** shape: ConvShape layout with cin = cout = channels, kh/kw the window, dh/dw its dilation. */
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, shape: Int32Array): void;
  batchNormTrain(x: Float32Array, gamma: Float32Array | null, beta: Float32Array | null, epsilon: number, y: Float32Array, mean: Float32Array, variance: Float32Array, rows: number, channels: number): void;
  batchNormGrad(dy: Float32Array, x: Float32Array, mean: Float32Array, variance: Float32Array, gamma: Float32Array | null, epsilon: number, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, rows: number, channels: number): void;
  /** dx = dy · step(x) */
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  /** One Adam step: reads w, g, m, v; writes w', m', v' (tfjs AdamOptimizer's arithmetic). */
  adamUpdate(value: Float32Array, gradient: Float32Array, m: Float32Array, v: Float32Array, newValue: Float32Array, newM: Float32Array, newV: Float32Array,
    beta1: number, beta2: number, epsilon: number, learningRate: number, oneMinusAccBeta1: number, oneMinusAccBeta2: number): void;
  setThreads(threads: number): void;
  describe(): string;
}

export type NativeLoad = { ok: true; kernels: NativeKernels; path: string; description: string } | { ok: false; reason: string };

let cached: NativeLoad | undefined;

export function nativeDisabledByEnv(): boolean {
  return ['0', 'false', 'off', 'no'].includes((process.env.ACTPROBE_NATIVE ?? '').toLowerCase());
}

export function loadNativeKernels(opts: BuildOptions & { fresh?: boolean } = {}): NativeLoad {
  if (cached !== undefined && opts.fresh !== true) return cached;
  const result = attempt(opts);
  if (opts.fresh !== true) cached = result;
  return result;
}

function attempt(opts: BuildOptions): NativeLoad {
  if (nativeDisabledByEnv()) return { ok: false, reason: `disabled by ACTPROBE_NATIVE=${process.env.ACTPROBE_NATIVE}` };
  let path: string;
  try {
    path = buildNativeKernels(opts);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  // libgomp reads its settings when the addon loads it. Its default spins a parked thread ~300k rounds,
  // which on a busy 2-core host steals the core the other thread (or tfjs' wasm workers) needs.
  process.env.GOMP_SPINCOUNT ??= '20000';
  try {
    const kernels = createRequire(import.meta.url)(path) as NativeKernels;
    const threads = Number(process.env.ACTPROBE_NATIVE_THREADS);
    if (Number.isInteger(threads) && threads >= 1) kernels.setThreads(threads);
    return { ok: true, kernels, path, description: kernels.describe() };
  } catch (e) {
    return { ok: false, reason: `loading ${path} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}
