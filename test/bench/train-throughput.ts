import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../settings/index.js';
import { buildModel } from '../../train/models/index.js';
import type { ModelSpecInput } from '../../train/models/index.js';
import { createOptimizer } from '../../train/trainer/optimizer.js';
import { createTrainStep } from '../../train/trainer/train-step.js';
import { TWINS, type TwinName } from './twin-specs.js';

/** Training images/s of one preset on the current tfjs backend, with the trainer's own step (Adam, batch). */
export function tfjsTrainImagesPerSecond(
  spec: ModelSpecInput,
  input: { height: number; width: number; channels: number; classes: number },
  batch: number,
  seconds: number,
): number {
  const { model, penalties } = buildModel(input, spec);
  const step = createTrainStep(model, penalties, input.classes);
  const optimizer = createOptimizer({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, 1e-3);
  const x = tf.randomUniform([batch, input.height, input.width, input.channels]) as tf.Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % input.classes),
    'int32',
  );
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

/** A PyTorch twin (pytorch_twins.py, Debian python3-torch) in a child with an explicit environment; null with a reason when torch is missing. */
export function pytorchImagesPerSecond(
  twin: TwinName,
  seconds: number,
  threads: number,
): { imgPerSec: number | null; note: string } {
  const script = fileURLToPath(new URL('./pytorch_twins.py', import.meta.url));
  // An explicit environment: none of this process' thread-runtime settings reach PyTorch's OpenMP.
  const run = spawnSync('/usr/bin/python3', [script, twin, String(seconds), String(threads)], {
    encoding: 'utf8',
    env: childEnv(),
    timeout: (seconds + 120) * 1000,
  });
  if (run.status !== 0)
    return {
      imgPerSec: null,
      note: `PyTorch unavailable (${(run.stderr || run.error?.message || '').trim().split('\n').pop()}); apt-get install python3-torch`,
    };
  const line = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { img_s: number; torch: string };
  return { imgPerSec: line.img_s, note: `PyTorch ${line.torch} CPU, ${threads} threads` };
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
 * One preset on tfjs and on its PyTorch twin, `runs` fresh runs each, taking turns, batch 64, Adam. PyTorch on
 * this machine kind lands in a fast or a slow mode per process (510–1997 img/s seen on model M across runs of
 * the same script), tfjs does not (1000–1310), so one run of each would make the ratio a coin toss: the median
 * and the best of each are kept.
 */
export function trainThroughputSideBySide(
  twin: TwinName,
  seconds: number,
  runs: number,
  threads: number,
): { tfjs: Runs; pytorch: Runs | null; note: string } {
  const { spec, input } = TWINS[twin];
  const tfjs: number[] = [];
  const torch: number[] = [];
  let note = '';
  for (let i = 0; i < runs; i++) {
    const p = pytorchImagesPerSecond(twin, seconds, threads);
    note = p.note;
    if (p.imgPerSec !== null) torch.push(p.imgPerSec);
    tfjs.push(tfjsTrainImagesPerSecond(spec, input, 64, seconds));
  }
  return { tfjs: summarise(tfjs), pytorch: torch.length > 0 ? summarise(torch) : null, note };
}
