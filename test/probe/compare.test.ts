import { describe, expect, it } from 'vitest';
import { compareProbes, compareSchema, formatCompare, verdictFor } from '../../probe/compare/compare.js';
import { matchLayers } from '../../probe/compare/match.js';
import { layer, probe } from './builders.js';

const reference = probe(
  [
    layer('conv1', { std: 40 }),
    layer('pool1', { role: 'pool' }),
    layer('conv2', { std: 30 }),
    layer('conv3', { std: 20 }),
    layer('conv4', { std: 20 }),
    layer('conv5', { std: 10 }),
    layer('fc1', { role: 'fc', std: 5 }),
    layer('fc2', { role: 'fc', std: 4 }),
    layer('fc3', { role: 'fc', std: 3 }),
  ],
  { inputStd: 60, model: 'bvlcalexnet-12.onnx' },
);

describe('layer matching and compare.json', () => {
  it('matches conv blocks by relative depth and fc layers from the output end', () => {
    const ours = [
      layer('conv1'),
      layer('conv2'),
      layer('se1_excite', { role: 'se-gate' }),
      layer('conv3'),
      layer('fc1', { role: 'fc' }),
      layer('fc2', { role: 'fc' }),
    ];
    const m = matchLayers(ours, reference.layers);
    expect(m.map((x) => `${x.ours.name}→${x.reference?.name ?? '-'}`)).toEqual([
      'conv1→conv1',
      'conv2→conv3',
      'se1_excite→-',
      'conv3→conv5',
      'fc1→fc2',
      'fc2→fc3',
    ]);
    expect(m[1].relativeDepth).toBeCloseTo(0.5, 9);
  });

  it('normalises by each input std and gives verdicts on the std ratio', () => {
    // Ours: input std 0.25. conv1 std 0.1 → 0.4 σin vs the reference's 40/60 = 0.667 σin: ratio 0.6, comparable.
    const ours = probe(
      [
        layer('conv1', { std: 0.1 }),
        layer('conv2', { std: 0.001 }),
        layer('conv3', { std: 2 }),
        layer('fc1', { role: 'fc', std: 0.2, channels: 4, dead: 3 }),
      ],
      { inputStd: 0.25 },
    );
    const c = compareProbes(ours, reference);
    compareSchema.parse(c);
    const row = (n: string) => c.rows.find((r) => r.layer === n)!;
    expect(row('conv1').oursNormalised.std).toBeCloseTo(0.4, 9);
    expect(row('conv1').referenceNormalised!.std).toBeCloseTo(40 / 60, 9);
    expect(row('conv1').stdRatio).toBeCloseTo(0.6, 9);
    expect(row('conv1').verdict).toBe('comparable');
    expect(row('conv1').ours.p99).toBeCloseTo(0.25, 9);
    expect(row('conv2')).toMatchObject({ reference: 'conv3', verdict: 'much smaller' });
    expect(row('conv3')).toMatchObject({ reference: 'conv5', verdict: 'much larger' });
    expect(row('fc1')).toMatchObject({ reference: 'fc3', verdict: 'dead' });
    expect(formatCompare(c)).toMatch(/conv1 +conv1 +.*comparable/);
  });

  it('places the verdict thresholds where the docs say', () => {
    expect([0.09, 0.2, 0.34, 3, 3.1, 10, 11].map((r) => verdictFor(r, 0))).toEqual([
      'much smaller',
      'smaller',
      'comparable',
      'comparable',
      'larger',
      'larger',
      'much larger',
    ]);
    expect(verdictFor(1, 0.6)).toBe('dead');
    expect(verdictFor(null, 0)).toBe('unknown');
  });
});
