import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../train/backend/index.js';
import { loadCheckpoint } from '../../train/trainer/checkpoint.js';
import { runTraining, TrainingInterruptedError } from '../../train/trainer/run-training.js';
import { readManifest } from '../../run-folder/run-folder.js';
import { quickConfig, tempRunDir } from './run-helpers.js';

const quiet = { log: () => undefined };
// A net with two dropout layers (rate 0.5) on the quick synthetic task: seconds per run.
const withDropout = () =>
  quickConfig({
    model: { preset: 'seednet', width: 0.125, se: null, fcUnits: [16, 8], dropout: 0.5 },
    miniEpochImages: 128,
    miniEpochs: 2,
    evalImages: 64,
  });

async function finalWeights(out: string, miniEpoch: number): Promise<Float32Array[]> {
  const ck = await loadCheckpoint(out, miniEpoch);
  const weights = ck.model.getWeights().map((w) => w.dataSync() as Float32Array);
  ck.model.dispose();
  return weights;
}

/** Null when bitwise equal, else where the first difference is (a short message instead of a huge array diff). */
function firstDifference(a: Float32Array[], b: Float32Array[]): string | null {
  if (a.length !== b.length) return `${a.length} vs ${b.length} weight tensors`;
  for (let t = 0; t < a.length; t++) {
    const i = a[t].findIndex((v, j) => !Object.is(v, b[t][j]));
    if (i >= 0 || a[t].length !== b[t].length) return `tensor ${t} element ${i}: ${a[t][i]} vs ${b[t][i]}`;
  }
  return null;
}

beforeAll(async () => {
  // The native kernels split sums across threads, whose order may change the last bits between runs; the
  // wasm kernels alone are deterministic, so equality here can be bitwise.
  process.env.ACTPROBE_NATIVE = '0';
  await selectBackend('wasm');
});

describe('reproducible training', () => {
  it('with dropout: the same config and seed give bitwise-equal weights, and interrupt-then-resume matches too', async () => {
    const a = await tempRunDir('repro-a');
    const b = await tempRunDir('repro-b');
    await runTraining(withDropout(), { out: a, ...quiet });
    await runTraining(withDropout(), { out: b, ...quiet });
    const wa = await finalWeights(a, 2);
    expect(wa.length).toBeGreaterThan(6);
    expect(firstDifference(await finalWeights(b, 2), wa)).toBeNull();

    // Stopped on request after checkpoint 1, as SIGINT does, then resumed in the same process.
    const c = await tempRunDir('repro-c');
    const stop = new AbortController();
    const interrupted = runTraining(withDropout(), {
      out: c,
      ...quiet,
      signal: stop.signal,
      onCheckpoint: async (e) => void (e.miniEpoch === 1 && stop.abort()),
    });
    await expect(interrupted).rejects.toThrow(TrainingInterruptedError);
    await expect(interrupted).rejects.toThrow(
      /interrupted after mini-epoch 1; manifest marked interrupted\. --resume continues from checkpoint 1/,
    );
    expect((await readManifest(c))?.status).toBe('interrupted');
    await runTraining(withDropout(), { out: c, resume: true, ...quiet });
    expect((await readManifest(c))?.status).toBe('running');
    expect(firstDifference(await finalWeights(c, 2), wa)).toBeNull();
  });

  it('stops mid-mini-epoch after the current step and names the checkpoint resume will use', async () => {
    const out = await tempRunDir('stop');
    const stop = new AbortController();
    const error = await runTraining(quickConfig({ miniEpochs: 2, miniEpochImages: 4096 }), {
      out,
      ...quiet,
      signal: stop.signal,
      // 128 steps follow checkpoint 0; the abort lands during one of them (the first alone takes longer on wasm).
      onCheckpoint: async (e) => void (e.miniEpoch === 0 && setTimeout(() => stop.abort(), 30)),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingInterruptedError);
    const steps = Number(/after step (\d+)\/128 /.exec(String(error))?.[1]);
    expect(steps).toBeGreaterThanOrEqual(1);
    expect(steps).toBeLessThan(128);
    expect(String(error)).toMatch(
      /of mini-epoch 1 \(those steps are not in a checkpoint and will be redone\).*--resume continues from checkpoint 0/,
    );
    expect((await readManifest(out))?.status).toBe('interrupted');
  });
});

describe('refusals before the first step leave nothing on disk', () => {
  it('refuses a batch that cannot fit in memory, by name, before writing', async () => {
    const out = await tempRunDir('batch');
    const started = performance.now();
    await expect(
      runTraining(quickConfig({ schedule: [{ from: 0, lr: 1e-3, batchSize: 10_000_000 }] }), { out, ...quiet }),
    ).rejects.toThrow(
      /batchSize 10000000 does not fit: one training step of .* needs about [\d.]+ GiB .* use a batchSize of at most \d+ in "schedule"/,
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses an image folder with one class by name, not "depth must be >=2" from oneHot', async () => {
    const root = await tempRunDir('oneclass');
    await mkdir(join(root, 'images', 'cats'), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 40 * i, g: 0, b: 0 } } })
        .png()
        .toBuffer();
      await writeFile(join(root, 'images', 'cats', `${i}.png`), png);
    }
    const out = join(root, 'run');
    await expect(
      runTraining(
        quickConfig({
          data: { name: 'image-folder', root: join(root, 'images'), height: 8, width: 8, channels: 3, holdout: 0.25 },
        }),
        { out, ...quiet },
      ),
    ).rejects.toThrow(/has 1 class \(cats\): a classifier needs at least 2/);
    expect(await readdir(root)).toEqual(['images']);
  });
});
