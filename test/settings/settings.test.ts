/**
 * The one settings module: nothing else reads process.env, the README's table is exactly SETTING_DOCS,
 * malformed values are errors naming the variable, and children get only what childEnv passes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, PROJECT_ROOT, readSettings, SETTING_DOCS, settingsTable } from '../../settings/index.js';

/** Source files that run as part of the project (tests may set up their children's environments). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', '.cache', '.git', 'runs', 'settings'].includes(name)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mjs|cjs|js)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('settings', () => {
  it('no module but settings/ reads process.env', () => {
    const readers = sources(PROJECT_ROOT).filter((f) => readFileSync(f, 'utf8').includes('process.env'));
    expect(readers.map((f) => relative(PROJECT_ROOT, f))).toEqual([]);
  });

  it('the README table is generated from SETTING_DOCS, and every field is documented', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain(settingsTable());
    const fields = Object.keys(readSettings({})).sort();
    expect([...new Set(SETTING_DOCS.map((d) => d.field))].sort()).toEqual(fields);
  });

  it('parses values and names the variable of a malformed one', () => {
    const s = readSettings({
      ACTPROBE_NATIVE: '0',
      TFJS_WASM_THREADS: '4',
      ACTPROBE_CACHE: '/c',
      XDG_CACHE_HOME: '/x',
      BENCH_ONLY: 'train, probe',
    });
    expect(s).toMatchObject({
      native: 'off',
      wasmThreads: 4,
      nativeCacheDir: '/c/native',
      referenceCacheDir: '/x/actprobe/reference',
      benchOnly: ['train', 'probe'],
    });
    expect(readSettings({ ACTPROBE_NATIVE: 'yes' }).native).toBe('on');
    expect(() => readSettings({ ACTPROBE_NATIVE_THREADS: 'two' })).toThrow(
      'ACTPROBE_NATIVE_THREADS=two: expected a whole number ≥ 1 (or unset it)',
    );
    expect(() => readSettings({ ACTPROBE_NATIVE: 'maybe' })).toThrow(
      'ACTPROBE_NATIVE=maybe: expected 0/1 (or off/on, auto)',
    );
    expect(() => readSettings({ BENCH_SECONDS: '-1' })).toThrow('BENCH_SECONDS=-1: expected a number > 0');
  });

  it('children get an explicit environment: base variables, settings only for stages, nothing else', () => {
    const from = {
      PATH: '/bin',
      HOME: '/h',
      GOMP_SPINCOUNT: '20000',
      OMP_NUM_THREADS: '1',
      ACTPROBE_NATIVE: '0',
      SECRET: 's',
    };
    expect(childEnv({ EXTRA: '1' }, { from })).toEqual({ PATH: '/bin', HOME: '/h', EXTRA: '1' });
    expect(childEnv({}, { from, withSettings: true })).toEqual({ PATH: '/bin', HOME: '/h', ACTPROBE_NATIVE: '0' });
  });
});
