import { describe, expect, it } from 'vitest';
import { Reservoir, samplePositions } from '../../probe/stats/reservoir.js';

describe('percentile reservoir', () => {
  it('is exact while it holds every value', () => {
    const r = new Reservoir(100);
    r.addAll(Array.from({ length: 101 }, (_, i) => 100 - i).slice(0, 100));
    expect(r.quantiles([0, 0.5, 1])).toEqual([1, 50.5, 100]);
  });

  it('keeps a uniform sample of a long stream within the documented rank error', () => {
    const r = new Reservoir(4096, 7);
    const n = 200_000;
    for (let i = 0; i < n; i++) r.add((i * 7919) % n); // a permutation of 0..n-1
    expect(r.count).toBe(4096);
    const [p1, p50, p99] = r.quantiles([0.01, 0.5, 0.99]).map((v) => v / n);
    // One sigma is sqrt(p(1-p)/K): 0.0016 at p1/p99, 0.0078 at p50; allow four.
    expect(Math.abs(p1 - 0.01)).toBeLessThan(4 * 0.0016);
    expect(Math.abs(p50 - 0.5)).toBeLessThan(4 * 0.0078);
    expect(Math.abs(p99 - 0.99)).toBeLessThan(4 * 0.0016);
  });

  it('skips NaN and picks distinct sorted positions', () => {
    const r = new Reservoir(8);
    r.addAll([Number.NaN, 1, Infinity, 2]);
    expect(r.count).toBe(2);
    const p = samplePositions(1000, 64, 3);
    expect(new Set(p).size).toBe(64);
    expect([...p].sort((a, b) => a - b)).toEqual(p);
    expect(samplePositions(10, 64, 3)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
