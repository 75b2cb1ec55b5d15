/**
 * Which instruction set the native kernels are compiled for, and whether this CPU runs it. The addon is
 * built for a fixed target (never -march=native), the target and the CPU's features go into its cache key,
 * and load.ts checks the CPU against the target's required features before it loads a cached addon, so a
 * cache folder or container image moved to an older CPU falls back to the wasm kernels instead of dying
 * with SIGILL. The addon repeats the check itself at initialisation (src/cpu_check.h).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CpuTarget {
  /** Name in logs and build-info.json, e.g. "x86-64-v3". */
  name: string;
  /** Compiler flags selecting the instruction set. */
  flags: string[];
  /** Features (Linux /proc/cpuinfo names) the CPU must have for the addon to run. */
  requires: string[];
}

/**
 * x86-64-v3 (Intel Haswell, 2013, and AMD Excavator, 2015, onwards; not the low-end Atom/Celeron/Pentium
 * parts): AVX2 + FMA is what the GEMM micro-kernel (src/gemm.h) is written for. -mtune=native only schedules
 * those instructions for the building CPU (it adds none), and it matters: with -mtune=generic the conv
 * filter gradient took 3.1 ms instead of 2.6–2.7 (28×28×1→32, batch 64, one thread, fastest of 60 calls) on
 * this Sapphire Rapids host, where -mtune=native gives what -march=native gave; AVX-512 code (x86-64-v4)
 * gained nothing over that (train/backend/bench/addon-kernels.ts, README "Native kernels").
 */
export const X86_64_V3: CpuTarget = {
  name: 'x86-64-v3',
  // Spelled out rather than -march=x86-64-v3, which needs GCC ≥ 11 / clang ≥ 12 (Debian 11 ships GCC 10).
  flags: [
    '-mavx2',
    '-mfma',
    '-mbmi',
    '-mbmi2',
    '-mf16c',
    '-mlzcnt',
    '-mmovbe',
    '-mpopcnt',
    '-msse4.2',
    '-mxsave',
    '-mtune=native',
  ],
  requires: [
    'sse4_1',
    'sse4_2',
    'ssse3',
    'popcnt',
    'cx16',
    'avx',
    'avx2',
    'bmi1',
    'bmi2',
    'f16c',
    'fma',
    'movbe',
    'abm',
    'xsave',
  ],
};

/** Other architectures: the compiler's baseline for the architecture (the GEMM then runs its portable loop). */
export const BASELINE: CpuTarget = { name: 'baseline', flags: [], requires: [] };

export function targetFor(arch: string): CpuTarget {
  return arch === 'x64' ? X86_64_V3 : BASELINE;
}

export type CpuFeatures = { ok: true; source: string; features: Set<string> } | { ok: false; reason: string };

/** macOS sysctl names → /proc/cpuinfo names, for the features the targets ask about. */
const DARWIN_NAMES: Record<string, string> = {
  'avx1.0': 'avx',
  'sse4.1': 'sse4_1',
  'sse4.2': 'sse4_2',
  lzcnt: 'abm',
  cx16: 'cx16',
};

function fromCpuinfo(text: string): Set<string> {
  const line = text.split('\n').find((l) => /^(flags|Features)\s*:/.test(l));
  return new Set(
    (line?.split(':')[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter((f) => f !== ''),
  );
}

/** This CPU's feature flags: /proc/cpuinfo on Linux, sysctl on macOS. */
export function readCpuFeatures(platform: string = process.platform): CpuFeatures {
  try {
    if (platform === 'linux') {
      const features = fromCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
      if (features.size === 0) return { ok: false, reason: '/proc/cpuinfo lists no CPU flags' };
      return { ok: true, source: '/proc/cpuinfo', features };
    }
    if (platform === 'darwin') {
      const keys = ['machdep.cpu.features', 'machdep.cpu.leaf7_features', 'machdep.cpu.extfeatures'];
      const r = spawnSync('sysctl', ['-n', ...keys], { encoding: 'utf8' });
      if (r.status !== 0)
        return { ok: false, reason: `sysctl ${keys.join(' ')} failed: ${r.stderr.trim() || r.error?.message}` };
      const names = r.stdout
        .toLowerCase()
        .split(/\s+/)
        .filter((f) => f !== '');
      return { ok: true, source: 'sysctl machdep.cpu', features: new Set(names.map((n) => DARWIN_NAMES[n] ?? n)) };
    }
  } catch (e) {
    return { ok: false, reason: `reading the CPU's features failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { ok: false, reason: `reading CPU features on ${platform} is not implemented` };
}

/** The target's features this CPU lacks (empty: it can run the addon). */
export function missingFeatures(target: CpuTarget, cpu: Set<string>): string[] {
  return target.requires.filter((f) => !cpu.has(f));
}

/** A stable digest input for the cache key: the target's name and which of its features this CPU has. */
export function cpuIdentity(target: CpuTarget, cpu: Set<string>): string {
  return `${target.name}:${[...cpu].sort().join(' ')}`;
}
