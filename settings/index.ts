/**
 * Every setting actprobe reads from the environment, in one typed object (the way transformers.js keeps one
 * `env`): nothing else in the project reads `process.env` (test/settings/settings.test.ts checks the source
 * tree), and the README's table is generated from SETTING_DOCS below and checked against it. Children the
 * project starts get an explicit environment (childEnv), not a copy of ours.
 *
 * This folder imports nothing but node: built-ins, so every stage (train, export, probe, serve, pipeline)
 * may import it without pulling another stage's dependencies in.
 */
import { availableParallelism, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Env = Readonly<Record<string, string | undefined>>;

/** The project folder (where package.json is). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Settings {
  /** ACTPROBE_NATIVE: 'auto' builds/uses the native kernels where supported, 'on' forces them (non-x86), 'off' never. */
  native: 'auto' | 'on' | 'off';
  /** ACTPROBE_NATIVE_THREADS: threads of the native kernels; undefined = every core this process may use. */
  nativeThreads: number | undefined;
  /** ACTPROBE_CACHE: the project's cache folder (compiled addon, wasm worker script). */
  cacheDir: string;
  /** ACTPROBE_NATIVE_CACHE: where the compiled native addon is kept (default <cacheDir>/native). */
  nativeCacheDir: string;
  /** CXX: the C++ compiler for the native kernels. */
  cxx: string;
  /** TFJS_WASM_THREADS: pthreads of the wasm backend; undefined = chosen by train/backend/loaders.ts. */
  wasmThreads: number | undefined;
  /** ACTPROBE_DATA: a folder holding data sets (fashion-mnist/ …). */
  dataDir: string | undefined;
  /** XDG_CACHE_HOME (else ~/.cache): user cache root for data sets and references. */
  userCacheHome: string;
  /** ACTPROBE_REFERENCE_CACHE: where pretrained reference models are cached (default <userCacheHome>/actprobe/reference). */
  referenceCacheDir: string;
  /** ACTPROBE_DECODED_CACHE: where `npm run prepare-data` keeps decoded image-folder caches. */
  decodedCacheDir: string;
  /** UV_THREADPOOL_SIZE: libuv's thread pool (sharp decodes on it); undefined = sized by sizeThreadPool(). */
  uvThreadPoolSize: number | undefined;
  /** ACTPROBE_TOKEN: bearer token of `npm run serve` when --token is not given. */
  serveToken: string | undefined;
  /** BENCH_SECONDS: seconds per throughput measurement of `npm run bench` and the backend benches. */
  benchSeconds: number;
  /** BENCH_ONLY: sections of `npm run bench`. */
  benchOnly: string[];
  /** BENCH_REPS: calls per kernel in train/backend/bench/kernels.ts. */
  benchReps: number;
}

export interface SettingDoc {
  variable: string;
  field: keyof Settings;
  default: string;
  effect: string;
}

/** The README table's rows, in its order. */
export const SETTING_DOCS: readonly SettingDoc[] = [
  {
    variable: 'ACTPROBE_DATA',
    field: 'dataDir',
    default: '—',
    effect: 'folder searched first for data sets (`fashion-mnist/` inside it, or the files themselves)',
  },
  {
    variable: 'XDG_CACHE_HOME',
    field: 'userCacheHome',
    default: '`~/.cache`',
    effect: 'user cache root: data sets go to `actprobe/fashion-mnist/`, references to `actprobe/reference/`',
  },
  {
    variable: 'ACTPROBE_REFERENCE_CACHE',
    field: 'referenceCacheDir',
    default: '`$XDG_CACHE_HOME/actprobe/reference`',
    effect: 'where `npm run fetch-reference` keeps pretrained models',
  },
  {
    variable: 'ACTPROBE_CACHE',
    field: 'cacheDir',
    default: '`.cache` in the project',
    effect: 'project cache: compiled native kernels, the wasm worker script',
  },
  {
    variable: 'ACTPROBE_NATIVE',
    field: 'native',
    default: 'auto',
    effect: '`0` wasm kernels only; `1` force the native kernels where auto would not use them (non-x86 CPUs)',
  },
  {
    variable: 'ACTPROBE_NATIVE_THREADS',
    field: 'nativeThreads',
    default: 'every core',
    effect: 'threads of the native kernels',
  },
  {
    variable: 'ACTPROBE_NATIVE_CACHE',
    field: 'nativeCacheDir',
    default: '`$ACTPROBE_CACHE/native`',
    effect: 'where the compiled addon is kept',
  },
  { variable: 'CXX', field: 'cxx', default: '`g++`', effect: 'the compiler of the native kernels' },
  {
    variable: 'TFJS_WASM_THREADS',
    field: 'wasmThreads',
    default: '1 with native kernels, else every core (≤ 8)',
    effect: 'pthreads of the wasm backend',
  },
  {
    variable: 'ACTPROBE_DECODED_CACHE',
    field: 'decodedCacheDir',
    default: '`$XDG_CACHE_HOME/actprobe/decoded`',
    effect: 'where `npm run prepare-data` keeps decoded image folders',
  },
  {
    variable: 'UV_THREADPOOL_SIZE',
    field: 'uvThreadPoolSize',
    default: 'one per logical CPU (≥ 4)',
    effect: "Node's thread pool, where sharp decodes images (train, pipeline, prepare-data)",
  },
  {
    variable: 'ACTPROBE_TOKEN',
    field: 'serveToken',
    default: '—',
    effect: '`npm run serve`: bearer token when `--token` is not given',
  },
  {
    variable: 'BENCH_SECONDS',
    field: 'benchSeconds',
    default: '10',
    effect: 'seconds per throughput measurement (`npm run bench`, `train/backend/bench/`)',
  },
  {
    variable: 'BENCH_ONLY',
    field: 'benchOnly',
    default: '`train,inference,probe,server,browser,loader`',
    effect: 'sections of `npm run bench`',
  },
  {
    variable: 'BENCH_REPS',
    field: 'benchReps',
    default: '9',
    effect: 'calls per kernel in `train/backend/bench/kernels.ts`',
  },
];

function text(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function positiveInt(env: Env, name: string): number | undefined {
  const v = text(env, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}=${v}: expected a whole number ≥ 1 (or unset it)`);
  return n;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const v = text(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v}: expected a number > 0 (or unset it)`);
  return n;
}

function tristate(env: Env, name: string): 'auto' | 'on' | 'off' {
  const v = text(env, name)?.toLowerCase();
  if (v === undefined || v === 'auto') return 'auto';
  if (['0', 'false', 'off', 'no'].includes(v)) return 'off';
  if (['1', 'true', 'on', 'yes'].includes(v)) return 'on';
  throw new Error(`${name}=${env[name]}: expected 0/1 (or off/on, auto)`);
}

/** Parses an environment; throws naming the variable when a value is malformed. */
export function readSettings(env: Env): Settings {
  const cacheDir = resolve(text(env, 'ACTPROBE_CACHE') ?? join(PROJECT_ROOT, '.cache'));
  const userCacheHome = text(env, 'XDG_CACHE_HOME') ?? join(homedir(), '.cache');
  return {
    native: tristate(env, 'ACTPROBE_NATIVE'),
    nativeThreads: positiveInt(env, 'ACTPROBE_NATIVE_THREADS'),
    cacheDir,
    nativeCacheDir: resolve(text(env, 'ACTPROBE_NATIVE_CACHE') ?? join(cacheDir, 'native')),
    cxx: text(env, 'CXX') ?? 'g++',
    wasmThreads: positiveInt(env, 'TFJS_WASM_THREADS'),
    dataDir: text(env, 'ACTPROBE_DATA'),
    userCacheHome,
    referenceCacheDir: text(env, 'ACTPROBE_REFERENCE_CACHE') ?? join(userCacheHome, 'actprobe', 'reference'),
    decodedCacheDir: text(env, 'ACTPROBE_DECODED_CACHE') ?? join(userCacheHome, 'actprobe', 'decoded'),
    uvThreadPoolSize: positiveInt(env, 'UV_THREADPOOL_SIZE'),
    serveToken: text(env, 'ACTPROBE_TOKEN'),
    benchSeconds: positiveNumber(env, 'BENCH_SECONDS', 10),
    benchOnly: (text(env, 'BENCH_ONLY') ?? 'train,inference,probe,server,browser,loader')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    benchReps: positiveInt(env, 'BENCH_REPS') ?? 9,
  };
}

let current: Settings | undefined;

/** This process's settings, read from its environment once. */
export function settings(): Settings {
  current ??= readSettings(process.env);
  return current;
}

/**
 * sharp decodes on Node's thread pool, which libuv sizes once, at its first use, from UV_THREADPOOL_SIZE
 * (default 4). On a machine with more cores than that, 4 decodes at a time would cap the image-folder loader
 * whatever its concurrency, so the commands that decode images call this first: one thread per logical CPU
 * unless the user set the variable.
 */
export function sizeThreadPool(): void {
  if (settings().uvThreadPoolSize === undefined)
    process.env.UV_THREADPOOL_SIZE = String(Math.max(4, availableParallelism()));
}

/** The variables a child may need to run at all (find programs, a home, a temp folder, a locale, a proxy). */
const BASE_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'TMP',
  'TEMP',
  'SYSTEMROOT',
  'COMSPEC',
  'PATHEXT',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/**
 * An explicit environment for a child process: the base variables, actprobe's own settings when the child is
 * one of the project's stages (`withSettings`), and `extra`. Nothing else of ours leaks into it (thread-runtime
 * knobs like OMP_NUM_THREADS or GOMP_SPINCOUNT, credentials, …), so a PyTorch baseline runs with its own defaults.
 */
export function childEnv(extra: Env = {}, opts: { withSettings?: boolean; from?: Env } = {}): Record<string, string> {
  const from = opts.from ?? process.env;
  const names = [...BASE_VARIABLES, ...(opts.withSettings === true ? SETTING_DOCS.map((d) => d.variable) : [])];
  const env: Record<string, string> = {};
  for (const name of names) {
    const v = from[name];
    if (v !== undefined) env[name] = v;
  }
  for (const [name, v] of Object.entries(extra)) if (v !== undefined) env[name] = v;
  return env;
}

/** The README table (markdown) built from SETTING_DOCS. */
export function settingsTable(): string {
  const rows = SETTING_DOCS.map((d) => `| \`${d.variable}\` | ${d.default} | ${d.effect} |`);
  return ['| variable | default | effect |', '|---|---|---|', ...rows].join('\n');
}
