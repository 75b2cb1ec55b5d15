/**
 * Runs the same computation on 'wasm' (with actprobe's kernels) and on 'cpu' (tfjs' pure-JS
 * reference) from identical seeded inputs, and compares every output.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Rng } from '../../../train/rng.js';

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
export async function runOn(backend: 'wasm' | 'cpu', inputs: HostTensor[], f: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<HostTensor[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`cannot switch to ${backend}`);
  const xs = inputs.map((h) => tf.tensor(h.values, h.shape));
  const outs = tf.tidy(() => f(...xs));
  // dataSync outside any tidy: inside one, tidy scans the returned arrays (FINDINGS).
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

export async function expectParity(f: (...xs: tf.Tensor[]) => tf.Tensor[], inputs: HostTensor[], tol = 1e-4): Promise<void> {
  const wasm = await runOn('wasm', inputs, f);
  const cpu = await runOn('cpu', inputs, f);
  expect(wasm.length).toBe(cpu.length);
  wasm.forEach((w, i) => {
    const err = relativeError(w, cpu[i]);
    expect(err, `output ${i} (shape [${w.shape.join(',')}]) relative error`).toBeLessThanOrEqual(tol);
  });
}

/** Loss whose dy is not constant, so gradient bugs in any position show up. */
export const weightedSum = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
