import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestName, editDistance, knownFields } from '../../train/config-suggest.js';
import { parseTrainConfig, trainConfigSchema } from '../../train/config.js';
import { parsePipelineConfig } from '../../pipeline/config.js';
import { BUILTIN_CARDS } from '../../probe/cards/builtin.js';
import { parseCard } from '../../probe/cards/card.js';

const refusal = (raw: unknown): string => {
  try {
    parseTrainConfig(raw, 'config t.json');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(raw)}`);
};

describe('config objects are strict at every depth, with "did you mean"', () => {
  it.each([
    [{ optimizer: { kind: 'adam', lr: 0.5 } }, /optimizer\.lr: unknown field/],
    [{ model: { preset: 'tiny', widht: 0.5 } }, /model\.widht: unknown field; did you mean "width"\?/],
    [{ augment: { flips: true } }, /augment\.flips: unknown field; did you mean "flip"\?/],
    [{ model: { preset: 'alexnet', stemkernel: 5 } }, /model\.stemkernel: unknown field; did you mean "stemKernel"\?/],
    [{ model: { preset: 'seednet', se: { ratoi: 4 } } }, /model\.se\.ratoi: unknown field; did you mean "ratio"\?/],
    [{ schedule: [{ from: 0, lr: 0.01, batchSize: 32, momentum: 0.9 }] }, /schedule\.0\.momentum: unknown field/],
    [{ minEpochs: 3 }, /minEpochs: unknown field; did you mean "miniEpochs"\?/],
    [{ data: { name: 'synthetic', clases: 3 } }, /data\.clases: unknown field; did you mean "classes"\?/],
    [{ model: { preset: 'alexnt' } }, /model\.preset: .*\(got "alexnt"; did you mean "alexnet"\?\)/],
    [
      { model: { preset: 'seednet', activation: 'sigmiod' } },
      /model\.activation: .*\(got "sigmiod"; did you mean "sigmoid"\?\)/,
    ],
  ])('refuses %j', (raw, message) => {
    expect(refusal(raw)).toMatch(message);
  });

  it('names what an optimizer does take when nothing is close ("lr" belongs in the schedule)', () => {
    expect(refusal({ optimizer: { kind: 'sgd', lr: 0.5 } })).toMatch(
      /optimizer\.lr: unknown field; known fields here: kind, momentum/,
    );
  });

  it('refuses an empty schedule and a schedule point the run never reaches, by name', () => {
    expect(refusal({ schedule: [] })).toMatch(/schedule: Too small/);
    expect(
      refusal({
        miniEpochs: 4,
        schedule: [
          { from: 0, lr: 0.01, batchSize: 32 },
          { from: 4, lr: 0.001, batchSize: 32 },
        ],
      }),
    ).toMatch(/schedule\.1\.from: 4 is beyond the run \(miniEpochs 4/);
  });

  it('is strict in the pipeline config too, and every shipped preset still parses', async () => {
    expect(() => parsePipelineConfig({ probe: { imgaes: 4 } }, 'p.json')).toThrow(
      /probe\.imgaes: unknown field; did you mean "images"\?/,
    );
    expect(() => parsePipelineConfig({ parityImage: 4 }, 'p.json')).toThrow(/did you mean "parityImages"\?/);
    const dir = new URL('../../pipeline/configs/', import.meta.url).pathname;
    // Sweep presets (*.sweep.json: a base plus axes) are checked variant by variant in test/sweep/spec.test.ts.
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.endsWith('.sweep.json'))) {
      const raw: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
      expect(() => parsePipelineConfig(raw, name)).not.toThrow();
    }
  });

  it('suggests in model cards too', () => {
    const card = Object.values(BUILTIN_CARDS)[0];
    expect(() => parseCard({ ...card, input: { ...card.input, chanelOrder: 'RGB' } }, 'my-card.json')).toThrow(
      /input\.chanelOrder: unknown field; did you mean "channelOrder"\?/,
    );
    expect(() => parseCard({ ...card, pretrianed: true }, 'my-card.json')).toThrow(
      /pretrianed: unknown field; did you mean "pretrained"\?/,
    );
  });

  it('suggests only names that are close, and finds the fields of a path for other validators', () => {
    expect(editDistance('widht', 'width')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestName('bathcSize', ['batchSize', 'lr'])).toBe('batchSize');
    expect(closestName('xyz', ['width', 'preset'])).toBeNull();
    expect(knownFields(trainConfigSchema, ['model'], { model: { preset: 'alexnet' } })).toEqual([
      'preset',
      'width',
      'lrn',
      'dropout',
      'stemKernel',
      'stemStride',
    ]);
    expect(knownFields(trainConfigSchema, ['schedule', 0], {})).toEqual(['from', 'lr', 'batchSize']);
    expect(knownFields(trainConfigSchema, ['miniEpochs'], {})).toBeNull();
  });
});
