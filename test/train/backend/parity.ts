/**
 * Runs the same computation on 'wasm' (with actprobe's kernels) and on 'cpu' (tfjs' pure-JS
 * reference) from identical seeded inputs, and compares every output.
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Rng } from '../../../data/rng.js';
import { activeNative, setActiveNative } from '../../../train/backend/native/active.js';
import { loadNativeKernels, type NativeKernels } from '../../../train/backend/native/load.js';
import { childEnv, settings } from '../../../settings/index.js';

export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

export function randomHost(shape: number[], seed: number): HostTensor {
  const rng = new Rng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return { shape, values };
}

/** Builds tensors from host inputs on the active backend, runs `f`, and copies results out. */
export async function runOn(
  backend: 'wasm' | 'cpu',
  inputs: HostTensor[],
  f: (...xs: tf.Tensor[]) => tf.Tensor[],
): Promise<HostTensor[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`cannot switch to ${backend}`);
  const xs = inputs.map((h) => tf.tensor(h.values, h.shape));
  const outs = tf.tidy(() => f(...xs));
  // dataSync outside any tidy: inside one, tidy scans the returned arrays (docs/DESIGN.md, Measurements).
  const host = outs.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  tf.dispose([...xs, ...outs]);
  return host;
}

/** max |a−b| / max(1e-6, max |b|): relative to the tensor's scale, not per element. */
export function relativeError(a: HostTensor, b: HostTensor): number {
  expect(a.shape).toEqual(b.shape);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < b.values.length; i++) {
    diff = Math.max(diff, Math.abs(a.values[i] - b.values[i]));
    scale = Math.max(scale, Math.abs(b.values[i]));
  }
  return diff / scale;
}

/**
 * Runs `run` once per wasm flavour: with the native C++ kernels active (when they load here) and with the
 * pure wasm kernels; restores whatever was active before.
 */
export interface FlavourRun<T> {
  flavour: 'native' | 'wasm';
  result: T;
  /** Calls per native kernel function during the run (empty for the wasm flavour). */
  nativeCalls: Map<string, number>;
}

export async function forEachWasmFlavour<T>(
  run: (flavour: 'native' | 'wasm') => Promise<T>,
): Promise<Array<FlavourRun<T>>> {
  const before = activeNative();
  const native = loadNativeKernels();
  const flavours: Array<['native' | 'wasm', NativeKernels | null]> = native.ok
    ? [
        ['native', native.kernels],
        ['wasm', null],
      ]
    : [['wasm', null]];
  const results: Array<FlavourRun<T>> = [];
  try {
    for (const [flavour, kernels] of flavours) {
      const nativeCalls = new Map<string, number>();
      // Counts the calls, so a test can prove the native path ran rather than silently falling back.
      setActiveNative(
        kernels === null
          ? null
          : new Proxy(kernels, {
              get: (target, key, receiver) => {
                if (typeof key === 'string') nativeCalls.set(key, (nativeCalls.get(key) ?? 0) + 1);
                return Reflect.get(target, key, receiver) as unknown;
              },
            }),
      );
      results.push({ flavour, result: await run(flavour), nativeCalls });
    }
  } finally {
    setActiveNative(before);
  }
  return results;
}

/** Why the native kernels cannot be compiled on this machine ("no C++ compiler: …"), or undefined. */
export function noCompiler(): string | undefined {
  const cxx = settings().cxx;
  const r = spawnSync(cxx, ['--version'], { stdio: 'ignore', env: childEnv() });
  return r.error === undefined ? undefined : `no C++ compiler (${cxx}: ${r.error.message})`;
}

/**
 * Fails unless the native flavour ran and called each of `kernels` (names of NativeKernels functions).
 * Where there is no compiler the wasm flavour alone is checked, and that is printed.
 */
export function expectNativeCalls<T>(runs: Array<FlavourRun<T>>, kernels: readonly string[]): void {
  const why = noCompiler();
  if (why !== undefined && !runs.some((r) => r.flavour === 'native')) {
    console.warn(`native flavour skipped: ${why}`);
    return;
  }
  const native = runs.find((r) => r.flavour === 'native');
  expect(native, 'the native kernels did not load, so the native path was not tested').toBeDefined();
  for (const k of kernels) expect(native!.nativeCalls.get(k) ?? 0, `native ${k} calls`).toBeGreaterThan(0);
}

export async function expectParity(
  f: (...xs: tf.Tensor[]) => tf.Tensor[],
  inputs: HostTensor[],
  tol = 1e-4,
  nativeKernels: readonly string[] = [],
): Promise<void> {
  const runs = await forEachWasmFlavour(() => runOn('wasm', inputs, f));
  const cpu = await runOn('cpu', inputs, f);
  if (nativeKernels.length > 0) expectNativeCalls(runs, nativeKernels);
  for (const { flavour, result: wasm } of runs) {
    expect(wasm.length).toBe(cpu.length);
    wasm.forEach((w, i) => {
      const err = relativeError(w, cpu[i]);
      expect(err, `${flavour}: output ${i} (shape [${w.shape.join(',')}]) relative error`).toBeLessThanOrEqual(tol);
    });
  }
}

/** Loss whose dy is not constant, so gradient bugs in any position show up. */
export const weightedSum = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
