/**
 * Compiles the native kernels (src/*.cc, *.h) into a Node addon with the machine's C++ compiler, once per
 * source/compiler/Node version/CPU target/CPU features, into a cache folder. Nothing is downloaded: it needs
 * g++ or clang++ ($CXX) and Node's own headers (node_api.h), which Node installs alongside itself. Threads
 * are std::thread (src/thread_pool.h), so no OpenMP runtime is needed (macOS' clang has none).
 *
 * The instruction set is a fixed target (cpu-target.ts), not -march=native, and build-info.json next to the
 * addon records it, so load.ts can refuse a cached addon this CPU cannot run.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, settings } from '../../../settings/index.js';
import { cpuIdentity, targetFor, type CpuTarget } from './cpu-target.js';

const here = dirname(fileURLToPath(import.meta.url));
export const NATIVE_SOURCE_DIR = join(here, 'src');
// -fvisibility=hidden: only the N-API entry point is exported. Otherwise the thread pool's static instance is
// a process-wide unique symbol, and two different builds loaded into one process (a bench comparing them)
// shared one pool object across different code, and hung.
const FLAGS = [
  '-O3',
  '-pthread',
  '-fPIC',
  '-shared',
  '-std=c++17',
  '-fvisibility=hidden',
  '-DNODE_GYP_MODULE_NAME=actprobe_kernels',
];
/** macOS links an addon's Node symbols at load time. */
const PLATFORM_FLAGS: Record<string, string[]> = { darwin: ['-undefined', 'dynamic_lookup'] };

export interface BuildOptions {
  /** Compiler; default the CXX setting, else g++. */
  cxx?: string;
  /** Cache root; default the ACTPROBE_NATIVE_CACHE setting. */
  cacheDir?: string;
  /** Folders searched for node_api.h; default: next to the running node, then /usr/include/node, /usr/local/include/node. */
  headerDirs?: string[];
  /** The CPU's feature flags (cpu-target.ts readCpuFeatures); injectable to simulate another CPU. */
  cpuFeatures?: Set<string>;
  /** process.arch, injectable for tests. */
  arch?: string;
}

/** What build-info.json next to an addon says about it. */
export interface BuildInfo {
  target: string;
  requires: string[];
  cxx: string;
  flags: string[];
  node: string;
  arch: string;
}

/**
 * Why a build could not happen. 'toolchain': no compiler or no Node headers on this machine (expected on
 * some machines; the wasm kernels run). 'failed': the compiler ran and failed (a real error to report).
 */
export class NativeBuildError extends Error {
  constructor(
    message: string,
    readonly kind: 'toolchain' | 'failed',
  ) {
    super(message);
  }
}

export function nodeHeaderDirs(): string[] {
  return [resolve(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
}

export function compileFlags(target: CpuTarget, platform: string = process.platform): string[] {
  return [...FLAGS, ...target.flags, ...(PLATFORM_FLAGS[platform] ?? [])];
}

/** The cache key: sources, compiler, flags, Node version, architecture, target and this CPU's features. */
export function cacheKey(cxx: string, arch: string, cpu: Set<string>): string {
  const target = targetFor(arch);
  const hash = createHash('sha256');
  for (const file of readdirSync(NATIVE_SOURCE_DIR).sort())
    hash.update(file).update(readFileSync(join(NATIVE_SOURCE_DIR, file)));
  hash.update([cxx, ...compileFlags(target), process.version, arch, cpuIdentity(target, cpu)].join('\0'));
  return `${target.name}-${hash.digest('hex').slice(0, 16)}`;
}

export function addonPath(opts: Required<Pick<BuildOptions, 'cxx' | 'cacheDir' | 'arch' | 'cpuFeatures'>>): string {
  return join(opts.cacheDir, cacheKey(opts.cxx, opts.arch, opts.cpuFeatures), 'actprobe_kernels.node');
}

export function buildInfoPath(addon: string): string {
  return join(dirname(addon), 'build-info.json');
}

/** Returns the addon's path, building it first when the cache lacks it; throws with the reason when it cannot. */
export function buildNativeKernels(opts: BuildOptions & { cpuFeatures: Set<string> }): string {
  const cxx = opts.cxx ?? settings().cxx;
  const arch = opts.arch ?? process.arch;
  const target = targetFor(arch);
  const out = addonPath({
    cxx,
    arch,
    cacheDir: opts.cacheDir ?? settings().nativeCacheDir,
    cpuFeatures: opts.cpuFeatures,
  });
  if (existsSync(out)) return out;
  const headers = (opts.headerDirs ?? nodeHeaderDirs()).find((d) => existsSync(join(d, 'node_api.h')));
  if (headers === undefined) {
    throw new NativeBuildError(
      `node_api.h not found in ${(opts.headerDirs ?? nodeHeaderDirs()).join(', ')}: install Node.js with its headers`,
      'toolchain',
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const flags = compileFlags(target);
  const result = spawnSync(cxx, [...flags, `-I${headers}`, join(NATIVE_SOURCE_DIR, 'module.cc'), '-o', tmp], {
    encoding: 'utf8',
    timeout: 180_000,
    env: childEnv(),
  });
  if (result.error !== undefined || result.status !== 0) {
    rmSync(tmp, { force: true });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new NativeBuildError(`no C++ compiler: ${cxx} not found (install g++ or clang++, or set CXX)`, 'toolchain');
    }
    const why =
      result.error?.message ?? (result.stderr.trim().split('\n').slice(-3).join(' | ') || `exit ${result.status}`);
    throw new NativeBuildError(`compiling the native kernels with ${cxx} failed: ${why}`, 'failed');
  }
  const info: BuildInfo = { target: target.name, requires: target.requires, cxx, flags, node: process.version, arch };
  const infoTmp = `${buildInfoPath(out)}.${process.pid}.tmp`;
  writeFileSync(infoTmp, JSON.stringify(info, null, 2));
  renameSync(infoTmp, buildInfoPath(out)); // written before the addon, so an addon never lacks its info
  renameSync(tmp, out); // atomic: a concurrent build of the same key just replaces it with an identical file
  return out;
}
