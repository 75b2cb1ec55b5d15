/**
 * The bench's alternatives compute what they claim: the mark-all way (markall.ts) gives the probe's
 * per-channel statistics on the same taps and images, so `probe_over_markall` compares two ways to the same
 * numbers; and the dynamic-batch copy of the shipped SqueezeNet (dynamic-batch.ts) runs a batch of 2 with
 * each image's output equal to its batch-1 output.
 */
import * as ort from 'onnxruntime-node';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../onnx/model.js';
import { prepareProbe } from '../../probe/run/runner.js';
import { withDynamicBatch } from './dynamic-batch.js';
import { prepareMarkAll } from './markall.js';
import { modelM, SQUEEZENET_PATH } from './probe-models.js';

describe('bench alternatives', () => {
  it('mark-all gives the probe per-channel statistics on model M', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'actprobe-alt-'));
    try {
      const path = await modelM(dir);
      const r = await prepareProbe({ model: path, batchSize: 8, session: { threads: 2 } });
      const m = await prepareMarkAll(path, r.card.input.name, r.taps, { threads: 2 });
      let seed = 3;
      const x = Float32Array.from({ length: 16 * 784 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      for (const b of [x.subarray(0, 8 * 784), x.subarray(8 * 784)]) {
        await r.addBatch(b, 8, []);
        await m.addBatch(b, 8);
      }
      expect(r.taps.length).toBeGreaterThan(5);
      r.taps.forEach((t, i) => {
        const a = r.accumulators[i].channelStats();
        const b = m.accumulators[i].channelStats();
        for (const f of ['min', 'max', 'mean', 'std', 'zeroFraction'] as const) {
          a[f].forEach((v, k) =>
            expect(Math.abs(v - b[f][k]), `${t.name} ${f}[${k}]: probe ${v}, mark-all ${b[f][k]}`).toBeLessThan(
              1e-4 * (1 + Math.abs(v)),
            ),
          );
        }
      });
      await r.release();
      await m.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the dynamic-batch SqueezeNet runs batch 2 with the batch-1 outputs', async () => {
    const fixed = new Uint8Array(await readFile(SQUEEZENET_PATH));
    const dynamic = withDynamicBatch(fixed, SQUEEZENET_PATH);
    expect(decodeModel(fixed).inputs[0].shape).toEqual([1, 3, 224, 224]);
    expect(decodeModel(dynamic).inputs[0].shape).toEqual(['N', 3, 224, 224]);
    expect(decodeModel(dynamic).outputs.map((o) => o.shape?.[0])).toEqual(['N', 'N']);
    const dir = await mkdtemp(join(tmpdir(), 'actprobe-alt-'));
    try {
      await writeFile(join(dir, 'd.onnx'), dynamic);
      const one = await ort.InferenceSession.create(fixed, { intraOpNumThreads: 2 });
      const two = await ort.InferenceSession.create(join(dir, 'd.onnx'), { intraOpNumThreads: 2 });
      const size = 3 * 224 * 224;
      const x = Float32Array.from({ length: 2 * size }, (_, i) => Math.sin(i * 0.001));
      const batch = (await two.run({ data: new ort.Tensor('float32', x, [2, 3, 224, 224]) })).logits
        .data as Float32Array;
      for (let n = 0; n < 2; n++) {
        const single = (
          await one.run({ data: new ort.Tensor('float32', x.slice(n * size, (n + 1) * size), [1, 3, 224, 224]) })
        ).logits.data as Float32Array;
        single.forEach((v, k) => expect(Math.abs(v - batch[n * 1000 + k])).toBeLessThan(1e-3));
      }
      await one.release();
      await two.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
