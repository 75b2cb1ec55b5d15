/**
 * The magnitude verdict keeps architecture and training apart: a batch-norm net far below a net without batch
 * norm is "smaller by design"; the same gap between two nets of the same kind is flagged; a layer shrinking
 * against its own history is a collapse whatever the reference.
 */
import { describe, expect, it } from 'vitest';
import { compareProbes } from '../../probe/compare/compare.js';
import { depthProfile } from '../../probe/compare/depth-profile.js';
import { magnitudeVerdict } from '../../probe/compare/magnitude-verdict.js';
import { layer, probe } from './builders.js';

// A reference without batch norm growing with depth (std 1 → 50), like SqueezeNet on its photos.
const reference = probe(
  ['conv1', 'conv2', 'conv3', 'conv4'].map((n, k) => layer(n, { std: [1, 5, 20, 50][k] })),
  { inputStd: 1 },
);
const ours = (stds: number[], miniEpoch: number) =>
  probe(
    stds.map((s, k) => layer(`c${k + 1}`, { std: s })),
    { inputStd: 1, miniEpoch },
  );

function verdict(history: ReturnType<typeof ours>[], oursBatchNorm: boolean) {
  const last = history[history.length - 1];
  return magnitudeVerdict({
    last: depthProfile(last, 'ours'),
    history,
    reference: depthProfile(reference, 'ref'),
    referenceName: 'squeezenet1.1',
    referencePretrained: true,
    oursBatchNorm,
    referenceBatchNorm: false,
  });
}

describe('magnitude verdict', () => {
  const healthy = [ours([0.8, 0.9, 1, 1], 0), ours([1, 1, 1.1, 1.2], 1)];

  it('calls a batch-norm net near unit scale "smaller by design", with the numbers, and flags nothing', () => {
    const v = verdict(healthy, true);
    expect(v.status).toBe('smaller by design');
    expect(v.flagged).toEqual([]);
    expect(v.architecture).toMatch(/our network has batch norm.*squeezenet1\.1 has none.*std ×50\.0/);
    expect(v.training).toMatch(/no conv layer fell more than 10× below its own peak over 2 checkpoints/);
    // The per-row verdicts say the same: ratios of 0.02–0.2 are the architecture's, not "much smaller".
    const rows = compareProbes(healthy[1], reference, {
      pretrained: true,
      oursBatchNorm: true,
      referenceBatchNorm: false,
    }).rows;
    expect(rows.map((r) => r.verdict)).toEqual([
      'comparable',
      'batch-norm scale',
      'batch-norm scale',
      'batch-norm scale',
    ]);
    expect(compareProbes(healthy[1], reference).rows.map((r) => r.verdict)).toContain('much smaller');
  });

  it('flags the same gap between two nets without batch norm as much smaller than the reference', () => {
    const v = verdict(healthy, false);
    expect(v.status).toBe('much smaller than the reference');
    expect(v.flagged.map((f) => f.layer)).toEqual(['c3', 'c4']);
    expect(v.headline).toBe('much smaller than squeezenet1.1 at the same depth: c3, c4');
  });

  it("names a collapse against the layer's own earlier checkpoints, batch norm or not", () => {
    const v = verdict([ours([1, 1, 1, 1], 0), ours([1, 1.2, 0.05, 1], 1)], true);
    expect(v.status).toBe('collapse');
    expect(v.flagged).toEqual([{ layer: 'c3', reason: 'std 1.0 at mini-epoch 0 → 0.050 now (own history)' }]);
    expect(v.training).toMatch(/c3 shrank from std 1\.0 \(mini-epoch 0\) to 0\.050/);
  });
});
