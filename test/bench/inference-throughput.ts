import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { intraOpThreads } from '../../probe/session/threads.js';
import { exportLayersModel } from '../../export/index.js';
import { buildModel } from '../../train/models/index.js';
import type { InputSpec, ModelSpecInput } from '../../train/models/index.js';

export interface InferenceFigures {
  ort_b64_img_s: number;
  tfjs_b64_img_s: number;
  ort_over_tfjs_b64: number;
  ort_b1_ms: number;
  tfjs_b1_ms: number;
}

const MNIST: InputSpec = { height: 28, width: 28, channels: 1, classes: 10 };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Calls `step` for `ms` milliseconds; returns calls and elapsed ms. */
async function timed(ms: number, step: () => Promise<void> | void): Promise<{ calls: number; elapsed: number }> {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await step();
    calls++;
  }
  return { calls, elapsed: performance.now() - start };
}

/**
 * onnxruntime (CPU EP, all cores) on the exported model M vs tfjs predict on the current backend, batch 64
 * throughput and batch 1 latency. Both read their output back to JS each call. The two run in alternating
 * rounds and each figure is the median round, so a noisy neighbour hits both sides alike.
 */
export async function inferenceThroughput(seconds = 10, rounds = 3): Promise<InferenceFigures> {
  const { model } = buildModel(MNIST, { preset: 'model-m' });
  const session = await ort.InferenceSession.create(exportLayersModel(model).encode(), {
    executionProviders: ['cpu'],
    intraOpNumThreads: intraOpThreads(),
    graphOptimizationLevel: 'all',
  });
  const feeds = (n: number): Record<string, ort.Tensor> => ({
    input: new ort.Tensor(
      'float32',
      Float32Array.from({ length: n * 784 }, () => Math.random()),
      [n, 1, 28, 28],
    ),
  });
  const x64 = tf.randomUniform([64, 28, 28, 1]);
  const x1 = tf.randomUniform([1, 28, 28, 1]);
  const f64 = feeds(64);
  const f1 = feeds(1);
  const ortRun = async (f: Record<string, ort.Tensor>): Promise<void> => {
    await session.run(f);
  };
  const tfjsRun = (x: tf.Tensor): void => {
    const y = model.predict(x) as tf.Tensor;
    y.dataSync();
    y.dispose();
  };
  for (let i = 0; i < 5; i++) {
    await ortRun(f64);
    tfjsRun(x64);
    await ortRun(f1);
    tfjsRun(x1);
  }
  const slice = (seconds * 1000) / (4 * rounds);
  const ort64: number[] = [];
  const tfjs64: number[] = [];
  const ort1: number[] = [];
  const tfjs1: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = await timed(slice, () => ortRun(f64));
    ort64.push((a.calls * 64 * 1000) / a.elapsed);
    const b = await timed(slice, () => tfjsRun(x64));
    tfjs64.push((b.calls * 64 * 1000) / b.elapsed);
    const c = await timed(slice, () => ortRun(f1));
    ort1.push(c.elapsed / c.calls);
    const d = await timed(slice, () => tfjsRun(x1));
    tfjs1.push(d.elapsed / d.calls);
  }
  await session.release();
  tf.dispose([x64, x1]);
  model.dispose();
  const ortB64 = median(ort64);
  const tfjsB64 = median(tfjs64);
  return {
    ort_b64_img_s: ortB64,
    tfjs_b64_img_s: tfjsB64,
    ort_over_tfjs_b64: ortB64 / tfjsB64,
    ort_b1_ms: median(ort1),
    tfjs_b1_ms: median(tfjs1),
  };
}

/** Milliseconds to convert and serialize each preset (median of 3), as `export_ms_<preset>` figures. */
export function presetExportMs(): Record<string, number> {
  const presets: Array<[string, InputSpec, ModelSpecInput]> = [
    ['tiny', MNIST, { preset: 'tiny' }],
    ['model_m', MNIST, { preset: 'model-m' }],
    ['seednet', MNIST, { preset: 'seednet' }],
    ['alexnet', { height: 224, width: 224, channels: 3, classes: 1000 }, { preset: 'alexnet' }],
    ['resnet_mini', { height: 32, width: 32, channels: 3, classes: 10 }, { preset: 'resnet-mini' }],
  ];
  const out: Record<string, number> = {};
  for (const [name, input, spec] of presets) {
    const { model } = buildModel(input, spec);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      exportLayersModel(model).encode();
      times.push(performance.now() - start);
    }
    out[`export_ms_${name}`] = median(times);
    model.dispose();
  }
  return out;
}
