import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../settings/index.js';
import { buildModel } from '../../train/models/index.js';
import type { ModelSpecInput } from '../../train/models/index.js';
import { createOptimizer } from '../../train/trainer/optimizer.js';
import { createTrainStep } from '../../train/trainer/train-step.js';

/** Training images/s of one preset on the current tfjs backend, with the trainer's own step (Adam, batch). */
export function tfjsTrainImagesPerSecond(spec: ModelSpecInput, input: { height: number; width: number; channels: number; classes: number }, batch: number, seconds: number): number {
  const { model, penalties } = buildModel(input, spec);
  const step = createTrainStep(model, penalties, input.classes);
  const optimizer = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, 1e-3);
  const x = tf.randomUniform([batch, input.height, input.width, input.channels]) as tf.Tensor4D;
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % input.classes), 'int32');
  for (let i = 0; i < 3; i++) step.run(x, y, optimizer, false);
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    step.run(x, y, optimizer, steps % 10 === 0);
    steps++;
  }
  const elapsed = (performance.now() - start) / 1000;
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return (steps * batch) / elapsed;
}

/** The PyTorch twin of model M (Debian python3-torch, 2 threads); null with a reason when torch is missing. */
export function pytorchModelMImagesPerSecond(seconds: number): { imgPerSec: number | null; note: string } {
  const script = fileURLToPath(new URL('./pytorch_model_m.py', import.meta.url));
  // An explicit environment: none of this process' thread-runtime settings reach PyTorch's OpenMP.
  const run = spawnSync('/usr/bin/python3', [script, String(seconds), '2'], { encoding: 'utf8', timeout: (seconds + 120) * 1000, env: childEnv() });
  if (run.status !== 0) return { imgPerSec: null, note: `PyTorch unavailable (${(run.stderr || run.error?.message || '').trim().split('\n').pop()}); apt-get install python3-torch` };
  const line = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { img_s: number; torch: string };
  return { imgPerSec: line.img_s, note: `PyTorch ${line.torch} CPU, 2 threads` };
}

export interface Runs {
  median: number;
  best: number;
  all: number[];
}

function summarise(all: number[]): Runs {
  const sorted = [...all].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], best: sorted[sorted.length - 1], all };
}

/**
 * Model M on tfjs and on PyTorch, `runs` fresh runs each, taking turns. PyTorch on this machine kind lands in a
 * fast or a slow mode per process (510–1997 img/s seen here across runs of the same script), tfjs does not
 * (1000–1310), so one run of each would make the ratio a coin toss: the median and the best of each are kept.
 */
export function trainThroughputSideBySide(seconds: number, runs: number): { tfjs: Runs; pytorch: Runs | null; note: string } {
  const mnist = { height: 28, width: 28, channels: 1, classes: 10 };
  const tfjs: number[] = [];
  const torch: number[] = [];
  let note = '';
  for (let i = 0; i < runs; i++) {
    const p = pytorchModelMImagesPerSecond(seconds);
    note = p.note;
    if (p.imgPerSec !== null) torch.push(p.imgPerSec);
    tfjs.push(tfjsTrainImagesPerSecond({ preset: 'model-m' }, mnist, 64, seconds));
  }
  return { tfjs: summarise(tfjs), pytorch: torch.length > 0 ? summarise(torch) : null, note };
}
