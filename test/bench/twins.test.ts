/**
 * The PyTorch twins (pytorch_twins.py) have exactly the trainable parameters of the presets they stand for,
 * as built for the bench: a twin with a missing layer or another width would make the training ratio
 * compare different nets. Needs Debian python3-torch; skipped without it (it is a bench peer, not a dependency).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../train/models/index.js';
import { childEnv } from '../../settings/index.js';
import { TWINS, type TwinName } from './twin-specs.js';

const script = fileURLToPath(new URL('./pytorch_twins.py', import.meta.url));
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { env: childEnv() }).status === 0;

describe.skipIf(!hasTorch)('PyTorch twins of the presets', () => {
  for (const name of Object.keys(TWINS) as TwinName[]) {
    it(`${name}: same trainable parameter count as the preset`, () => {
      const { model } = buildModel(TWINS[name].input, TWINS[name].spec);
      const ours = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, d) => a * (d ?? 1), 1), 0);
      model.dispose();
      const run = spawnSync('/usr/bin/python3', [script, name, '--params'], {
        encoding: 'utf8',
        env: childEnv(),
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { params: number }).params).toBe(ours);
    }, 60_000);
  }
});
