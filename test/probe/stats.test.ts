/**
 * The probe's numbers against a hand computation: a tiny graph (ReLU and sigmoid of the input, an SE-style
 * gate on the spatial mean) probed in batches of 3 over 7 images, compared with brute-force statistics of
 * the same values computed here in float64.
 */
import { describe, expect, it } from 'vitest';
import { arraySource } from '../../probe/input/source.js';
import { probeModel } from '../../probe/run/probe-model.js';
import { parseProbeResult, type ProbeLayer } from '../../probe/schema.js';
import { fixture } from './fixtures.js';

const N = 7; // 3 batches of 3, 3, 1
const C = 3;
const HW = 9;
// NHWC pixels for a 3×3×2 image: a mix of negatives, exact zeros and values near the sigmoid thresholds.
const pixels = Float32Array.from({ length: N * HW * C }, (_, i) => {
  const v = Math.sin(i * 1.7) * 6;
  return i % 5 === 0 ? 0 : Math.round(v * 4) / 4;
});
const at = (n: number, c: number, s: number): number => pixels[(n * HW + s) * C + c];
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

interface Expected {
  min: number;
  max: number;
  mean: number;
  std: number;
  zero: number;
  low?: number;
  high?: number;
}

function brute(values: number[][], saturation: boolean): Expected[] {
  return values.map((vs) => {
    const mean = vs.reduce((a, v) => a + v, 0) / vs.length;
    const e: Expected = {
      min: Math.min(...vs),
      max: Math.max(...vs),
      mean,
      std: Math.sqrt(vs.reduce((a, v) => a + (v - mean) ** 2, 0) / vs.length),
      zero: vs.filter((v) => v === 0).length / vs.length,
    };
    if (saturation) {
      e.low = vs.filter((v) => v < 0.01).length / vs.length;
      e.high = vs.filter((v) => v > 0.99).length / vs.length;
    }
    return e;
  });
}

/** Values per channel over images `from..to` after `f`, spatial positions included. */
function perChannel(f: (v: number) => number, to = N): number[][] {
  return Array.from({ length: C }, (_, c) =>
    Array.from({ length: to * HW }, (_, j) => f(at(Math.floor(j / HW), c, j % HW))),
  );
}

/** The SE gate's input per channel and image (the spatial mean), and the gate itself. */
function gateLogits(to = N): number[][] {
  return Array.from({ length: C }, (_, c) =>
    Array.from({ length: to }, (_, n) => {
      let s = 0;
      for (let k = 0; k < HW; k++) s += at(n, c, k);
      return s / HW;
    }),
  );
}

function gateValues(to = N): number[][] {
  return gateLogits(to).map((row) => row.map(sigmoid));
}

function expectLayer(layer: ProbeLayer | undefined, want: Expected[], opts: { zero?: boolean } = {}): void {
  expect(layer).toBeDefined();
  const ch = layer!.channels;
  want.forEach((w, c) => {
    expect(ch.min[c]).toBeCloseTo(w.min, 5);
    expect(ch.max[c]).toBeCloseTo(w.max, 5);
    expect(ch.mean[c]).toBeCloseTo(w.mean, 5);
    expect(ch.std[c]).toBeCloseTo(w.std, 4);
    if (opts.zero !== false) expect(ch.zeroFraction[c]).toBeCloseTo(w.zero, 6);
    if (w.low !== undefined) {
      expect(ch.lowFraction?.[c]).toBeCloseTo(w.low, 6);
      expect(ch.highFraction?.[c]).toBeCloseTo(w.high!, 6);
    }
  });
}

function quantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
}

describe('probe statistics match a hand computation', () => {
  it('computes per-channel min/max/mean/std/zero/saturation, percentiles and watch rows, streamed in batches', async () => {
    const r = await probeModel({
      model: fixture('tiny-stats'),
      source: arraySource(pixels, N, 3, 3, C),
      batchSize: 3,
      watch: 2,
    });
    parseProbeResult(JSON.parse(JSON.stringify(r)));
    expect(r.images).toBe(N);
    expect(r.executionProvider).toBe('cpu');
    const byName = new Map(r.layers.map((l) => [l.name, l]));
    expect([...byName.keys()]).toEqual(['act_relu', 'act_sigmoid', 'squeeze_logits', 'squeeze', 'se_scale', 'sum']);
    expectLayer(
      r.input,
      brute(
        perChannel((v) => v),
        false,
      ),
    );
    expectLayer(
      byName.get('act_relu'),
      brute(
        perChannel((v) => Math.max(0, v)),
        false,
      ),
    );
    expectLayer(byName.get('act_sigmoid'), brute(perChannel(sigmoid), true));
    const gate = byName.get('squeeze')!;
    expect(gate.role).toBe('se-gate');
    expect(gate.shape).toEqual([1, 3]);
    expectLayer(gate, brute(gateValues(), true));
    // The excitation before the sigmoid, tapped itself: the spatial means, not a logit recovered from the gate.
    const logits = byName.get('squeeze_logits')!;
    expect(logits.role).toBe('se-excite');
    expectLayer(logits, brute(gateLogits(), false));
    // Percentiles: 27 values per image ≤ 64 positions and 7 images ≤ capacity, so the reservoir is exact.
    const relu = perChannel((v) => Math.max(0, v))
      .flat()
      .sort((a, b) => a - b);
    const s = byName.get('act_relu')!.summary;
    expect(s.p1).toBeCloseTo(quantile(relu, 0.01), 5);
    expect(s.p50).toBeCloseTo(quantile(relu, 0.5), 5);
    expect(s.p99).toBeCloseTo(quantile(relu, 0.99), 5);
    // Watch rows: images 0 and 1, per channel min/max over the 3×3 positions.
    expect(r.watchImages).toEqual(['arrays[0]', 'arrays[1]']);
    const w = byName.get('act_relu')!.watch;
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < C; c++) {
        const vs = Array.from({ length: HW }, (_, k) => Math.max(0, at(n, c, k)));
        expect(w.min[n][c]).toBeCloseTo(Math.min(...vs), 6);
        expect(w.max[n][c]).toBeCloseTo(Math.max(...vs), 6);
      }
    }
  });

  // The batch totals are Reduce ops whose `axes` moved from attribute to input (ReduceSum at opset 13, ReduceMax at 18).
  it.each(['tiny-stats-11', 'tiny-stats-18'] as const)('gives the same statistics for %s', async (kind) => {
    const r = await probeModel({
      model: fixture(kind),
      source: arraySource(pixels, N, 3, 3, C),
      batchSize: 3,
      watch: 2,
    });
    const byName = new Map(r.layers.map((l) => [l.name, l]));
    expectLayer(
      byName.get('act_relu'),
      brute(
        perChannel((v) => Math.max(0, v)),
        false,
      ),
    );
    expectLayer(byName.get('act_sigmoid'), brute(perChannel(sigmoid), true));
    expectLayer(byName.get('squeeze'), brute(gateValues(), true));
  });

  it('keeps max and mean over every image and the rest over the full-statistics images', async () => {
    const r = await probeModel({
      model: fixture('tiny-stats'),
      source: arraySource(pixels, N, 3, 3, C),
      batchSize: 3,
      watch: 1,
      fullStatImages: 4,
    });
    // Batches of 3: the second one is split, 1 image with full statistics and 2 with max/mean only.
    expect(r.coverage.fullStatImages).toBe(4);
    const relu = r.layers.find((l) => l.name === 'act_relu')!;
    const all = brute(
      perChannel((v) => Math.max(0, v)),
      false,
    );
    const first = brute(
      perChannel((v) => Math.max(0, v), 4),
      false,
    );
    all.forEach((w, c) => {
      expect(relu.channels.max[c]).toBeCloseTo(w.max, 5);
      expect(relu.channels.mean[c]).toBeCloseTo(w.mean, 5);
      expect(relu.channels.std[c]).toBeCloseTo(first[c].std, 4);
      expect(relu.channels.zeroFraction[c]).toBeCloseTo(first[c].zero, 6);
    });
  });
});
