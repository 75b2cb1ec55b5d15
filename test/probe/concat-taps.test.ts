/**
 * Concat taps assembled from their inputs' taps (probe/taps/concat-taps.ts), on the shipped pretrained
 * SqueezeNet 1.1 (8 fire-module Concats): the graph gets no reductions for them, their per-channel numbers
 * are exactly their inputs' numbers side by side, and they agree with an independent float64 computation
 * over the concatenated map itself (made a graph output and reduced here).
 */
import * as ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../onnx/model.js';
import { appendToGraph } from '../../onnx/patch.js';
import { prepareProbe } from '../../probe/run/runner.js';
import { concatChannels, concatSamples } from '../../probe/stats/packed.js';

const squeezenet = fileURLToPath(new URL('../../assets/reference/squeezenet1.1.onnx', import.meta.url));
const IMAGES = 3;

describe('Concat taps from their inputs', () => {
  it('concatChannels puts each row of the parts side by side, field by field', () => {
    const a = { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), channels: 2 }; // 2 rows × 2 fields × 2 channels
    const b = { data: Float32Array.from([10, 20, 30, 40]), channels: 1 };
    expect(Array.from(concatChannels([a, b], 2, 2))).toEqual([1, 2, 10, 3, 4, 20, 5, 6, 30, 7, 8, 40]);
    expect(() => concatChannels([a, { data: new Float32Array(3), channels: 1 }], 2, 2)).toThrow(
      /expected 2 rows × 2 fields × 1 channels/,
    );
  });

  it('concatSamples takes from each part in proportion to its size', () => {
    const big = { sample: Float32Array.from({ length: 8 }, (_, i) => i), perImage: 4, size: 300 };
    const small = { sample: Float32Array.from({ length: 8 }, (_, i) => 100 + i), perImage: 4, size: 100 };
    expect(Array.from(concatSamples([big, small], 2, 4))).toEqual([0, 1, 2, 100, 4, 5, 6, 104]);
  });

  it('SqueezeNet 1.1: 8 Concats assembled, no graph pass over them, numbers equal to their inputs and to the map', async () => {
    const r = await prepareProbe({ model: squeezenet, session: { threads: 2 } });
    try {
      const assembled = r.taps.filter((t) => t.parts !== undefined);
      expect(assembled.map((t) => t.op)).toEqual(new Array(8).fill('Concat'));
      const full = decodeModel(r.plan.fullBytes, 'full graph');
      for (const t of assembled) {
        expect(full.nodes.filter((n) => n.name.startsWith('actprobe/') && n.inputs.includes(t.tensor))).toEqual([]);
      }
      const { channels: C, height: H, width: W } = r.card.input;
      let seed = 7;
      const x = Float32Array.from(
        { length: IMAGES * C * H * W },
        () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 4 - 2,
      );
      for (let n = 0; n < IMAGES; n++) await r.addBatch(x.subarray(n * C * H * W, (n + 1) * C * H * W), 1, [`img${n}`]);

      // The concatenated maps themselves, from the original model, reduced in float64 here.
      const marked = appendToGraph(new Uint8Array(await readFile(squeezenet)), {
        outputs: assembled.map((t) => ({ name: t.tensor })),
      });
      const s = await ort.InferenceSession.create(marked, { intraOpNumThreads: 2 });
      const maps = assembled.map(() => [] as Float32Array[]);
      for (let n = 0; n < IMAGES; n++) {
        const out = await s.run({
          [r.card.input.name]: new ort.Tensor('float32', x.slice(n * C * H * W, (n + 1) * C * H * W), [1, C, H, W]),
        });
        assembled.forEach((t, k) => maps[k].push(out[t.tensor].data as Float32Array));
      }
      await s.release();

      assembled.forEach((t, k) => {
        const i = r.taps.indexOf(t);
        const got = r.accumulators[i].channelStats();
        const fromParts = t.parts!.map((j) => r.accumulators[j].channelStats());
        for (const field of ['min', 'max', 'mean', 'std', 'zeroFraction'] as const) {
          expect(got[field], `${t.name} ${field}`).toEqual(fromParts.flatMap((p) => p[field]));
        }
        expect(r.watch[i].max[0]).toEqual(t.parts!.flatMap((j) => r.watch[j].max[0]));
        const hw = t.spatial;
        for (let c = 0; c < t.channels; c += 7) {
          const vs = maps[k].flatMap((m) => Array.from(m.subarray(c * hw, (c + 1) * hw)));
          const mean = vs.reduce((a, v) => a + v, 0) / vs.length;
          const std = Math.sqrt(vs.reduce((a, v) => a + (v - mean) ** 2, 0) / vs.length);
          expect(got.max[c]).toBe(Math.max(...vs));
          expect(got.min[c] + 0).toBe(Math.min(...vs) + 0); // the graph stores −min: −0 and 0 are the same minimum
          expect(got.mean[c]).toBeCloseTo(mean, 4);
          expect(got.std[c]).toBeCloseTo(std, 3);
          expect(got.zeroFraction[c]).toBeCloseTo(vs.filter((v) => v === 0).length / vs.length, 5);
        }
      });
    } finally {
      await r.release();
    }
  }, 60_000);
});
