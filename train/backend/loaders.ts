/**
 * The real candidate loaders. Each one only makes its backend *available* to tf (import, kernel
 * registration); activating and verifying it is select.ts's job, so tests can swap these out.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { settings } from '../../settings/index.js';
import type { NativeLoad } from './native/load.js';
import type { Candidate, CandidateLoader, LoaderTable } from './select.js';
import { installedTfjsVersions, tfjsVersionMismatch, type TfjsVersions } from './tfjs-pin.js';

const NATIVE_HINT: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': 'optional dependency; needs libtensorflow + CUDA: npm run setup:gpu',
  tensorflow: 'not a dependency of actprobe; --backend tensorflow uses it where you installed it',
};

function errorCode(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
}

/** Turns an import failure into the one-line reason printed by describeBackend. */
export function importFailureReason(pkg: string, hint: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = errorCode(e);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(pkg)) {
    return `package ${pkg} is not installed (${hint})`;
  }
  // Installed but broken, typically the native binding failing to dlopen libtensorflow/CUDA.
  return `package ${pkg} failed to load: ${message.split('\n')[0]}`;
}

function nativeLoader(candidate: 'tensorflow-gpu' | 'tensorflow'): CandidateLoader {
  const pkg = candidate === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  return async () => {
    // A variable specifier: these packages are optional, so TypeScript must not require them.
    const specifier: string = pkg;
    try {
      await import(specifier);
    } catch (e) {
      throw new Error(importFailureReason(pkg, NATIVE_HINT[candidate], e));
    }
    if (tf.findBackendFactory('tensorflow') === null) {
      // It registered into another copy of tfjs-core (version mismatch), invisible to ours.
      throw new Error(
        `package ${pkg} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs ${tf.version.tfjs}`,
      );
    }
    return { tfBackend: 'tensorflow' };
  };
}

export interface DefaultLoaderOptions {
  /**
   * pthreads for the wasm backend; 1 keeps the stock single-threaded build. Default: see defaultWasmThreads.
   */
  wasmThreads?: number;
  /** The installed tfjs versions; injectable to simulate a version the kernels were not written against. */
  tfjsVersions?: TfjsVersions;
}

/**
 * The TFJS_WASM_THREADS environment variable, else 1 when the native kernels run (they do the heavy ops on
 * every core, and the threaded wasm build's per-op dispatch then costs more than it gains: elementwise ops
 * and small matmuls ran ~5× slower on a model-M step), else every core (at most 8, tfjs' worker pool size).
 */
export function defaultWasmThreads(nativeKernels = false): number {
  const fromEnv = settings().wasmThreads;
  if (fromEnv !== undefined) return fromEnv;
  if (nativeKernels) return 1;
  return Math.max(1, Math.min(8, availableParallelism()));
}

function wasmLoader(requestedThreads: number | undefined, versions: TfjsVersions | undefined): CandidateLoader {
  return async () => {
    let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
    try {
      wasm = await import('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      throw new Error(importFailureReason('@tensorflow/tfjs-backend-wasm', 'a regular dependency: run npm ci', e));
    }
    const { registerWasmKernels } = await import('./wasm-kernels/register.js');
    const { configureWasmThreads, wasmThreadState } = await import('./wasm-threads.js');
    const { loadNativeKernels } = await import('./native/load.js');
    const { setActiveNative } = await import('./native/active.js');
    // The added gradient kernels use only BackendWasm's public methods, so they register whatever the version.
    registerWasmKernels();
    const mismatch = tfjsVersionMismatch(versions ?? installedTfjsVersions(wasm.version_wasm));
    // The C++ kernels (conv, batch norm, …) are built on first use; without a compiler the wasm kernels run.
    const native: NativeLoad =
      mismatch !== undefined ? { ok: false, kind: 'off', reason: mismatch } : loadNativeKernels();
    setActiveNative(native.ok ? native.kernels : null);
    configureWasmThreads(mismatch !== undefined ? 1 : (requestedThreads ?? defaultWasmThreads(native.ok)));
    return {
      tfBackend: 'wasm',
      details: async () => {
        const threaded = wasmThreadState().requested > 1;
        const simd = threaded || (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
        const nativeFacts = native.ok ? { native: native.description } : { nativeUnavailable: native.reason };
        return {
          wasm: {
            simd,
            threads: wasm.getThreadsCount(),
            threadsFallback: wasmThreadState().fallbackReason,
            ...nativeFacts,
          },
        };
      },
    };
  };
}

export function createDefaultLoaders(options: DefaultLoaderOptions = {}): LoaderTable {
  const table: Record<Candidate, CandidateLoader> = {
    'tensorflow-gpu': nativeLoader('tensorflow-gpu'),
    tensorflow: nativeLoader('tensorflow'),
    wasm: wasmLoader(options.wasmThreads, options.tfjsVersions),
    cpu: async () => ({ tfBackend: 'cpu' }),
  };
  return table;
}
