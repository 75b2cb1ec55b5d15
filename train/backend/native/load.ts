/**
 * Loads the native kernel addon (building it on first use), or says why not. The result is cached for the
 * process. Before an addon is loaded, this CPU is checked against the features its target needs
 * (cpu-target.ts, build-info.json): a cached addon from another CPU is never run here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { settings } from '../../../settings/index.js';
import { buildInfoPath, buildNativeKernels, NativeBuildError, type BuildInfo, type BuildOptions } from './build.js';
import { missingFeatures, readCpuFeatures, targetFor, type CpuFeatures } from './cpu-target.js';

/** Float32Array arguments are views of tfjs-wasm's heap; shapes are ConvShape Int32Arrays (see convShape in conv-kernels.ts). */
export interface NativeKernels {
  convForward(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    shape: Int32Array,
    activation: 0 | 1,
  ): void;
  convBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, shape: Int32Array): void;
  convBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, shape: Int32Array): void;
  /** c[batch] = op(a) · op(b): a is [batchA, m, k] (or [batchA, k, m] transposed), b [batchB, k, n] (or [batchB, n, k]). */
  batchMatMul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transposeA: 0 | 1,
    transposeB: 0 | 1,
  ): void;
  /** shape: ConvShape layout with cin = cout = channels, kh/kw the window, dh/dw its dilation. */
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, shape: Int32Array): void;
  batchNormTrain(
    x: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    epsilon: number,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    rows: number,
    channels: number,
  ): void;
  batchNormGrad(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array | null,
    epsilon: number,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    rows: number,
    channels: number,
  ): void;
  /** dx = dy · step(x) */
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  /** One Adam step: reads w, g, m, v; writes w', m', v' (tfjs AdamOptimizer's arithmetic). */
  adamUpdate(
    value: Float32Array,
    gradient: Float32Array,
    m: Float32Array,
    v: Float32Array,
    newValue: Float32Array,
    newM: Float32Array,
    newV: Float32Array,
    beta1: number,
    beta2: number,
    epsilon: number,
    learningRate: number,
    oneMinusAccBeta1: number,
    oneMinusAccBeta2: number,
  ): void;
  setThreads(threads: number): void;
  describe(): string;
}

/**
 * Why not, by kind: 'off' (ACTPROBE_NATIVE=0, or a tfjs version they were not written for), 'unsupported'
 * (this CPU or architecture), 'toolchain' (no compiler or Node headers), 'failed' (a build or load that
 * should have worked and did not: a real error).
 */
export type NativeUnavailable = 'off' | 'unsupported' | 'toolchain' | 'failed';
export type NativeLoad =
  | { ok: true; kernels: NativeKernels; path: string; description: string }
  | { ok: false; reason: string; kind?: NativeUnavailable };

export interface LoadOptions extends BuildOptions {
  /** Load again instead of returning the process' cached result (and do not cache this one). */
  fresh?: boolean;
  /** Overrides the ACTPROBE_NATIVE setting. */
  mode?: 'auto' | 'on' | 'off';
  /** Overrides reading this CPU's features (simulates another CPU). */
  cpu?: CpuFeatures;
}

let cached: NativeLoad | undefined;

export function loadNativeKernels(opts: LoadOptions = {}): NativeLoad {
  if (cached !== undefined && opts.fresh !== true) return cached;
  const result = attempt(opts);
  if (opts.fresh !== true) cached = result;
  return result;
}

/** Why the native kernels are not used on this architecture unless forced, or undefined when they are. */
export function architectureRefusal(arch: string): string | undefined {
  if (arch === 'x64') return undefined;
  // Their GEMM is hand-written for AVX2/FMA; elsewhere a plain loop runs, which has not been measured
  // against the NEON kernels (XNNPACK) the wasm backend already uses there.
  return `on ${arch} the native kernels would run a portable scalar GEMM, not measured against tfjs-wasm's XNNPACK kernels; ACTPROBE_NATIVE=1 forces them`;
}

function readBuildInfo(addon: string): BuildInfo | undefined {
  const file = buildInfoPath(addon);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildInfo;
  } catch {
    return undefined;
  }
}

function attempt(opts: LoadOptions): NativeLoad {
  const mode = opts.mode ?? settings().native;
  if (mode === 'off') return { ok: false, kind: 'off', reason: 'disabled by ACTPROBE_NATIVE=0' };
  const arch = opts.arch ?? process.arch;
  const refusal = architectureRefusal(arch);
  if (refusal !== undefined && mode !== 'on') return { ok: false, kind: 'unsupported', reason: refusal };
  const cpu = opts.cpu ?? readCpuFeatures();
  if (!cpu.ok)
    return { ok: false, kind: 'unsupported', reason: `cannot tell whether this CPU runs them: ${cpu.reason}` };
  const target = targetFor(arch);
  const missing = missingFeatures(target, cpu.features);
  if (missing.length > 0) {
    return {
      ok: false,
      kind: 'unsupported',
      reason: `this CPU lacks ${missing.join(', ')} (${cpu.source}), which the ${target.name} native kernels need`,
    };
  }
  let path: string;
  try {
    path = buildNativeKernels({ ...opts, arch, cpuFeatures: cpu.features });
  } catch (e) {
    return {
      ok: false,
      kind: e instanceof NativeBuildError ? e.kind : 'failed',
      reason: e instanceof Error ? e.message : String(e),
    };
  }
  const info = readBuildInfo(path);
  if (info === undefined)
    return {
      ok: false,
      kind: 'failed',
      reason: `${buildInfoPath(path)} is missing or unreadable: delete ${path} to rebuild it`,
    };
  const lacking = missingFeatures({ name: info.target, flags: [], requires: info.requires }, cpu.features);
  if (lacking.length > 0) {
    return {
      ok: false,
      kind: 'unsupported',
      reason: `${path} was built for ${info.target}, and this CPU lacks ${lacking.join(', ')}: delete it to rebuild`,
    };
  }
  try {
    const kernels = createRequire(import.meta.url)(path) as NativeKernels;
    const threads = settings().nativeThreads;
    if (threads !== undefined) kernels.setThreads(threads);
    return { ok: true, kernels, path, description: `${kernels.describe()}, ${info.target}` };
  } catch (e) {
    return {
      ok: false,
      kind: 'failed',
      reason: `loading ${path} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    };
  }
}
