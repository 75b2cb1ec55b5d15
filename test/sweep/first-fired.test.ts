/** The first mini-epoch each diagnosis rule fired, replayed over the prefixes of a hand-made history. */
import { describe, expect, it } from 'vitest';
import { firstFired } from '../../pipeline/compare-runs/first-fired.js';

const LN10 = Math.log(10);
// Test accuracy per mini-epoch 1..8: at chance for 1-3, learning to 0.85 at 6, collapsing to 0.2 at 8.
const ACC = [0.1, 0.1, 0.1, 0.5, 0.8, 0.85, 0.3, 0.2];
const history = {
  epochs: ACC.map((a, i) => ({
    miniEpoch: i + 1,
    trainLoss: a <= 0.1 ? LN10 : 1 - a,
    testAccuracy: a,
    lr: 1e-3,
    batchSize: 64,
    layers: [],
  })),
  nonFinite: [],
};

describe('firstFired', () => {
  it('finds where each rule first fires and whether it still fires at the end', () => {
    const fired = firstFired(history, [], 10);
    // Stuck at chance needs 3 mini-epochs at chance: fires at 3, clears when accuracy leaves chance at 4.
    expect(fired.find((f) => f.rule === 'stuck-at-chance')).toMatchObject({ miniEpoch: 3, stillFiring: false });
    // Peak 0.85 at 6; at 7, 0.3 is 0.55 below it with (0.3-0.1)/(0.85-0.1) = 27% of the margin kept (rule: ≥ 0.10 and ≤ 75%).
    expect(fired.find((f) => f.rule === 'accuracy-collapse')).toMatchObject({ miniEpoch: 7, stillFiring: true });
  });

  it('a prefix with no findings fires nothing', () => {
    expect(firstFired({ epochs: history.epochs.slice(3, 6), nonFinite: [] }, [], 10)).toEqual([]);
  });
});
