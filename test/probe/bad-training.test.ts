/**
 * One real, short training run with a deliberately bad setting (Adam at lr 1.0 on the tiny net: the ReLUs die
 * and the net falls back to the class prior), then the diagnosis over its metrics.jsonl. The good run of the
 * training suite is the contrast: the same rules stay clear on a healthy history (diagnosis.test.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../train/backend/index.js';
import { runTraining } from '../../train/trainer/run-training.js';
import { readMetrics } from '../../probe/diagnosis/metrics.js';
import { diagnose } from '../../probe/diagnosis/registry.js';
import { quickConfig, tempRunDir } from '../train/run-helpers.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('diagnosis of a real training run', () => {
  it('flags a run whose learning rate is far too high: stuck at chance, no gradient', async () => {
    const out = await tempRunDir('probe-bad-lr');
    await runTraining(quickConfig({ schedule: [{ from: 0, lr: 1.0, batchSize: 32 }], miniEpochs: 4 }), {
      out,
      log: () => undefined,
    });
    const history = await readMetrics(join(out, 'metrics.jsonl'));
    expect(history.epochs).toHaveLength(4);
    const d = diagnose({ history, classes: 4 });
    const ids = d.findings.map((f) => f.rule);
    expect(ids).toContain('stuck-at-chance');
    const f = d.findings.find((x) => x.rule === 'stuck-at-chance')!;
    expect(f.evidence).toMatch(/chance 0\.250/);
    expect(ids).toContain('vanishing-gradients');
  });
});
