/** Sweep specs: variants and their names, and every kind of bad spec refused before anything trains. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFiles } from '../../pipeline/sweep/plan.js';
import { axesOfFile, parseSweepFile, parseVary, splitValues, type SweepSpec } from '../../pipeline/sweep/spec.js';
import type { SweepState } from '../../pipeline/sweep/state.js';
import { expandSweep } from '../../pipeline/sweep/validate.js';
import { ROOT, TINY_BASE } from './tiny-base.js';

const spec = (...vary: string[]): SweepSpec => ({
  base: TINY_BASE,
  baseSource: 'tiny',
  axes: vary.map(parseVary),
  design: 'grid',
});

describe('sweep variants', () => {
  it('a 2×2 grid gives four variants named by alias and value, each config carrying its values', () => {
    const v = expandSweep(spec('lr=1e-3,2e-4', 'augment=off,on'));
    expect(v.map((x) => x.name)).toEqual([
      'lr=1e-3,augment=off',
      'lr=1e-3,augment=on',
      'lr=2e-4,augment=off',
      'lr=2e-4,augment=on',
    ]);
    expect(v[2].config.schedule[0].lr).toBe(2e-4);
    expect(v[3].config.augment).toEqual({ cropPadding: 2, flip: true });
    expect(v[0].config.augment).toEqual({ cropPadding: 0, flip: false });
    // Everything not varied stays the base's.
    expect(v.every((x) => x.config.miniEpochs === 2 && x.config.data.name === 'synthetic')).toBe(true);
  });

  it('one-at-a-time: the baseline plus each other value alone; a field inside an object switched off is skipped, not refused', () => {
    const base = { ...TINY_BASE, model: { preset: 'seednet', width: 0.125, se: { ratio: 4, nearOneWeight: 0 } } };
    const file = parseSweepFile(
      {
        base,
        axes: {
          lr: [1e-3, 1e-5],
          se: { on: { ratio: 4, nearOneWeight: 0 }, off: null },
          nearOne: { off: 0, on: 0.01 },
        },
        design: 'one-at-a-time',
      },
      'inline',
    );
    const v = expandSweep({ base, baseSource: 'inline', axes: axesOfFile(file), design: file.design });
    expect(v.map((x) => x.name)).toEqual(['baseline', 'lr=1e-5', 'se=off', 'nearOne=on']);
    const model = (name: string) =>
      v.find((x) => x.name === name)?.config.model as { se: { nearOneWeight: number } | null };
    expect(model('se=off').se).toBeNull();
    expect(model('nearOne=on').se?.nearOneWeight).toBe(0.01);
  });

  it('values split on top-level commas only', () => {
    expect(splitValues('1,{"a":1,"b":[2,3]},"x,y"')).toEqual(['1', '{"a":1,"b":[2,3]}', '"x,y"']);
  });
});

describe('bad sweep specs are refused, naming what is wrong', () => {
  it.each([
    [
      'unknown path, with the closest field',
      ['model.wdith=1,2'],
      /unknown config path model\.wdith.*did you mean "width"/,
    ],
    ['unknown top-level field', ['optimzer=sgd'], /unknown config path optimzer.*did you mean "optimizer"/],
    ['wrong type', ['lr=fast'], /lr=fast.*schedule\.0\.lr.*expected number/s],
    ['out of range', ['width=-1'], /width=-1.*model\.width/s],
    ['duplicate axis', ['lr=1e-3', 'lr=2e-4'], /axis lr is given twice/],
    ['duplicate axis through its alias', ['lr=1e-3', 'schedule.0.lr=2e-4'], /given twice/],
    ['a value listed twice', ['lr=1e-3,1e-3'], /value 1e-3 is listed twice/],
    ['index past the end of a list', ['schedule.3.lr=1'], /schedule has 1 entries; index 3/],
  ])('%s', (_what, vary, message) => {
    expect(() => expandSweep(spec(...vary))).toThrow(message);
  });

  it('empty value lists, from flags and from files', () => {
    expect(() => parseVary('lr=')).toThrow(/--vary lr: empty value list/);
    expect(() => parseVary('lr=1e-3,')).toThrow(/value 2 .* is empty/);
    expect(() => parseVary('augment=maybe')).toThrow(
      /--vary augment: unknown value "maybe"; its named values are off, on/,
    );
    expect(() => axesOfFile(parseSweepFile({ base: {}, axes: { lr: [] } }, 'f'))).toThrow(
      /sweep axis lr: empty value list/,
    );
    expect(() => expandSweep({ base: TINY_BASE, baseSource: 'x', axes: [], design: 'grid' })).toThrow(
      /at least one axis/,
    );
  });

  it('the CLI refuses before anything trains: no run folder, no sweep.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'actprobe-sweep-spec-'));
    await writeFile(join(dir, 'base.json'), JSON.stringify(TINY_BASE));
    const out = join(dir, 'sweep');
    const r = spawnSync(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        'pipeline/sweep/cli.ts',
        '--config',
        join(dir, 'base.json'),
        '--vary',
        'lr=1e-3,2e-4',
        '--vary',
        'model.wdith=1',
        '--out',
        out,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/sweep: model\.wdith=1: unknown config path model\.wdith/);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });
});

describe('--resume', () => {
  it('refuses while a variant of the earlier sweep is still running, and refuses another spec', async () => {
    const { prepareSweep } = await import('../../pipeline/sweep/prepare.js');
    const { writeSweepState } = await import('../../pipeline/sweep/state.js');
    const dir = await mkdtemp(join(tmpdir(), 'actprobe-sweep-resume-'));
    const s = spec('lr=1e-3,2e-4');
    const variants = expandSweep(s);
    const state = await prepareSweep(dir, s, variants, false);
    await writeSweepState(dir, {
      ...state,
      variants: state.variants.map((v, i) => (i === 1 ? { ...v, status: 'running', pid: process.pid } : v)),
    });
    await expect(prepareSweep(dir, s, variants, false)).rejects.toThrow(/already holds a sweep.*--resume/);
    await expect(prepareSweep(dir, s, variants, true)).rejects.toThrow(
      `--resume: lr=2e-4 (pid ${process.pid}) still running from the earlier sweep`,
    );
    const other = spec('lr=1e-3,5e-4');
    await expect(prepareSweep(dir, other, expandSweep(other), true)).rejects.toThrow(/holds other variants/);
  });
});

describe('the seed-questions preset', () => {
  it('expands to the baseline and one run per change, each differing from the baseline in that field only', async () => {
    const path = join(ROOT, 'pipeline/configs/seed-questions.sweep.json');
    const { specFromArgs } = await import('../../pipeline/sweep/load-spec.js');
    const v = expandSweep(await specFromArgs(path, [], undefined));
    expect(v.map((x) => x.name)).toEqual([
      'baseline',
      'lr=2e-4',
      'lr=5e-5',
      'lr=1e-5',
      'batch=384',
      'optimizer=sgd',
      'augment=on',
      'se=off',
      'nearOne=on',
    ]);
    const base = v[0].config;
    expect(base.data.name).toBe('fashion-mnist');
    expect(v.find((x) => x.name === 'optimizer=sgd')?.config.optimizer.kind).toBe('sgd');
    expect(v.find((x) => x.name === 'batch=384')?.config.schedule).toEqual([{ from: 0, lr: 1e-3, batchSize: 384 }]);
    expect(v.find((x) => x.name === 'lr=1e-5')?.config.schedule).toEqual([{ from: 0, lr: 1e-5, batchSize: 64 }]);
    expect(v.find((x) => x.name === 'augment=on')?.config.augment).toEqual({ cropPadding: 2, flip: true });
  });
});

describe('--plan', () => {
  it('writes one command per variant, an Indexed Job with one completion each, and a Slurm array over the same indices', () => {
    const variants = expandSweep(spec('lr=1e-3,2e-4', 'batch=32,64'));
    const state: SweepState = {
      version: 1,
      createdAt: '',
      updatedAt: '',
      base: { source: 'tiny', config: TINY_BASE },
      design: 'grid',
      axes: [],
      variants: variants.map((v) => ({
        name: v.name,
        folder: v.name,
        settings: {},
        config: `configs/${v.name}.json`,
        status: 'pending',
      })),
    };
    const f = planFiles('/shared/sw', state, 'auto');
    expect(f.commands.trim().split('\n')).toHaveLength(4);
    expect(f.commands).toContain(
      `--config '/shared/sw/configs/lr=2e-4,batch=64.json' --out '/shared/sw/lr=2e-4,batch=64'`,
    );
    expect(f.job).toMatch(/completionMode: Indexed/);
    expect(f.job).toMatch(/completions: 4/);
    expect(f.slurm).toMatch(/#SBATCH --array=0-3/);
    expect(f.script).toContain(
      `VARIANTS=('lr=1e-3,batch=32' 'lr=1e-3,batch=64' 'lr=2e-4,batch=32' 'lr=2e-4,batch=64')`,
    );
    expect(f.script).toMatch(/JOB_COMPLETION_INDEX/);
  });
});
