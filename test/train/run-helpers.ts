import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrainConfig } from '../../train/config.js';
import type { TrainConfig, TrainConfigInput } from '../../train/config.js';

/** A fresh run folder under the OS temp dir. */
export const tempRunDir = (label: string): Promise<string> => mkdtemp(join(tmpdir(), `actprobe-${label}-`));

/** A seconds-long training config: tiny net on a small synthetic set, overridable field by field. */
export function quickConfig(overrides: Partial<TrainConfigInput> = {}): TrainConfig {
  return parseTrainConfig({
    data: {
      name: 'synthetic',
      classes: 4,
      height: 16,
      width: 16,
      channels: 1,
      trainCount: 512,
      testCount: 128,
      seed: 3,
    },
    model: { preset: 'tiny' },
    schedule: [{ from: 0, lr: 3e-3, batchSize: 32 }],
    miniEpochImages: 256,
    miniEpochs: 3,
    watchImages: 4,
    ...overrides,
  });
}
