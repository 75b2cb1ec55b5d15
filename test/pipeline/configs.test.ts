import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../pipeline/config.js';
import { buildModel } from '../../train/models/index.js';

const dir = new URL('../../pipeline/configs/', import.meta.url).pathname;

describe('pipeline presets', () => {
  it('ship default, seed-se and alexnet-imagefolder', async () => {
    // Sweep presets (*.sweep.json) are checked in test/sweep/spec.test.ts.
    expect((await readdir(dir)).filter((f) => !f.endsWith('.sweep.json')).sort()).toEqual([
      'alexnet-imagefolder.json',
      'default.json',
      'seed-se.json',
    ]);
  });

  it.each(['default.json', 'seed-se.json', 'alexnet-imagefolder.json'])(
    '%s validates and builds its model',
    async (name) => {
      const config = parsePipelineConfig(JSON.parse(await readFile(join(dir, name), 'utf8')), name);
      const input =
        config.data.name === 'image-folder'
          ? { height: config.data.height, width: config.data.width, channels: config.data.channels, classes: 110 }
          : { height: 28, width: 28, channels: 1, classes: 10 };
      const { model, penalties } = buildModel(input, config.model);
      expect(model.outputs[0].shape).toEqual([null, input.classes]);
      if (name === 'seed-se.json') {
        expect(penalties.map((p) => p.layer)).toEqual(['se1_excite', 'se2_excite']);
        expect(config.schedule.map((s) => [s.lr, s.batchSize])).toEqual([
          [5e-4, 64],
          [2e-4, 64],
          [1e-4, 384],
          [5e-5, 384],
        ]);
      }
      model.dispose();
    },
  );

  it('rejects a bad value and a misspelt field, naming them', () => {
    expect(() => parsePipelineConfig({ probe: { images: -1 } }, 'x.json')).toThrow(/probe\.images/);
    expect(() => parsePipelineConfig({ minEpochs: 3 }, 'x.json')).toThrow(/minEpochs/);
  });
});
