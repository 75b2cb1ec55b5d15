/**
 * Compiles the native kernels (src/*.cc, *.h) into a Node addon with the machine's C++ compiler, once per
 * source/compiler/Node version, into a cache folder. Nothing is downloaded: it needs g++ (or $CXX), OpenMP
 * and Node's own headers (node_api.h), which Node installs alongside itself. `-march=native` is safe because
 * the addon is built on the machine that runs it.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const NATIVE_SOURCE_DIR = join(here, 'src');
const FLAGS = ['-O3', '-march=native', '-fopenmp', '-fPIC', '-shared', '-std=c++17', '-DNODE_GYP_MODULE_NAME=actprobe_kernels'];

export interface BuildOptions {
  /** Compiler; default $CXX, else g++. */
  cxx?: string;
  /** Cache root; default $ACTPROBE_NATIVE_CACHE, else .cache/native in the project folder. */
  cacheDir?: string;
  /** Folders searched for node_api.h; default: next to the running node, then /usr/include/node, /usr/local/include/node. */
  headerDirs?: string[];
}

export function nodeHeaderDirs(): string[] {
  return [resolve(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
}

function sourceKey(cxx: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(NATIVE_SOURCE_DIR).sort()) hash.update(file).update(readFileSync(join(NATIVE_SOURCE_DIR, file)));
  hash.update([cxx, ...FLAGS, process.version, process.arch].join('\0'));
  return hash.digest('hex').slice(0, 16);
}

/** Returns the addon's path, building it first when the cache lacks it; throws with the reason when it cannot. */
export function buildNativeKernels(opts: BuildOptions = {}): string {
  const cxx = opts.cxx ?? process.env.CXX ?? 'g++';
  const cacheDir = opts.cacheDir ?? process.env.ACTPROBE_NATIVE_CACHE ?? resolve(here, '..', '..', '..', '.cache', 'native');
  const out = join(cacheDir, sourceKey(cxx), 'actprobe_kernels.node');
  if (existsSync(out)) return out;
  const headers = (opts.headerDirs ?? nodeHeaderDirs()).find((d) => existsSync(join(d, 'node_api.h')));
  if (headers === undefined) {
    throw new Error(`node_api.h not found in ${(opts.headerDirs ?? nodeHeaderDirs()).join(', ')}: install Node.js with its headers`);
  }
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const result = spawnSync(cxx, [...FLAGS, `-I${headers}`, join(NATIVE_SOURCE_DIR, 'module.cc'), '-o', tmp], { encoding: 'utf8', timeout: 180_000 });
  if (result.error !== undefined || result.status !== 0) {
    rmSync(tmp, { force: true });
    const why = result.error?.message ?? (result.stderr.trim().split('\n').slice(-3).join(' | ') || `exit ${result.status}`);
    throw new Error(`compiling the native kernels with ${cxx} failed: ${why}`);
  }
  renameSync(tmp, out); // atomic: a concurrent build of the same key just replaces it with an identical file
  return out;
}
