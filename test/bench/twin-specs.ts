/**
 * The presets the training section times on both sides, at the settings the bench uses; each has a PyTorch
 * twin of the same name in pytorch_twins.py (its parameter count is checked by twins.test.ts).
 */
import type { InputSpec, ModelSpecInput } from '../../train/models/index.js';

export type TwinName = 'model-m' | 'seednet' | 'alexnet';

export interface TwinSpec {
  spec: ModelSpecInput;
  input: InputSpec;
  /** For the table and bench-meta.json. */
  describe: string;
}

const mnist: InputSpec = { height: 28, width: 28, channels: 1, classes: 10 };

export const TWINS: Record<TwinName, TwinSpec> = {
  'model-m': { spec: { preset: 'model-m' }, input: mnist, describe: 'model-m, 28×28×1, 10 classes' },
  seednet: {
    spec: { preset: 'seednet', width: 0.25 },
    input: mnist,
    describe: 'seednet width 0.25, 28×28×1, 10 classes',
  },
  alexnet: {
    spec: { preset: 'alexnet', width: 0.0625, stemKernel: 5, stemStride: 2 },
    input: { height: 64, width: 64, channels: 3, classes: 110 },
    describe: 'alexnet width 1/16, stem 5×5/2, 64×64×3, 110 classes',
  },
};
