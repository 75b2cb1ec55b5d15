/**
 * Multithreaded wasm under Node. tfjs-backend-wasm refuses threads in Node for three reasons, each
 * worked around here by booting the threaded-SIMD Emscripten build ourselves:
 *  1. its feature flag returns false under Node → we pick the threaded build directly;
 *  2. it hands the pthread workers Blob URLs, which Node's Worker cannot load → the worker script
 *     goes to a file and the main script is given as a path;
 *  3. the C++ side caps threads at logical cores / 2 (1 on this 2-vCPU box), read through the
 *     `emscripten_num_logical_cores` import → we answer that import ourselves.
 * The stock factory stays the fallback: any failure here ends on the single-threaded build.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { settings } from '../../settings/index.js';

const require = createRequire(import.meta.url);
const BUILD = 'tfjs-backend-wasm-threaded-simd';

interface NodeWorker {
  unref(): void;
}
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { runningWorkers: NodeWorker[]; unusedWorkers: NodeWorker[]; terminateAllThreads(): void };
  tfjs?: Record<string, unknown>;
}
type WasmImports = WebAssembly.Imports & { env: Record<string, WebAssembly.ImportValue> };
interface FactoryConfig {
  locateFile(path: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(imports: WasmImports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void): object;
  onAbort(msg: string): void;
}
type Factory = (config: FactoryConfig) => Promise<ThreadedModule>;

export interface WasmThreadState {
  /** Threads requested from the threaded build; 0 when the stock single-threaded build runs. */
  requested: number;
  /** Why the threaded build was not used, when it was not. */
  fallbackReason?: string;
}

const state: WasmThreadState = { requested: 0 };
export const wasmThreadState = (): Readonly<WasmThreadState> => state;

/**
 * Node's Worker needs a real file. It lives in the project's cache folder (not a shared, predictable /tmp
 * path another user could plant), named by the content's hash, and its bytes are checked against that hash
 * before every use: a file that differs is replaced, never run.
 */
export function workerFile(buildDir: string, cacheDir: string = join(settings().cacheDir, 'tfjs-wasm')): string {
  const { wasmWorkerContents } = require(join(buildDir, `${BUILD}.worker.js`)) as { wasmWorkerContents: string };
  // Same escaping tfjs applies before making its Blob: the template literal turned "\n" escapes
  // inside string literals into real newlines.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const digest = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');
  const hash = digest(source);
  const file = join(cacheDir, `worker-${hash.slice(0, 16)}.cjs`);
  if (existsSync(file) && digest(readFileSync(file)) === hash) return file;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, source, { mode: 0o644 });
  renameSync(partial, file); // atomic: replaces a stale or tampered file
  return file;
}

async function bootThreaded(threads: number): Promise<BackendWasm> {
  const mainScript = require.resolve(`@tensorflow/tfjs-backend-wasm/wasm-out/${BUILD}.js`);
  const buildDir = dirname(mainScript);
  const factory = require(mainScript) as Factory;
  const worker = workerFile(buildDir);
  // Emscripten grows this object into the module; kept to stop its workers if boot fails.
  let config: (FactoryConfig & Partial<ThreadedModule>) | undefined;
  const module = await new Promise<ThreadedModule>((resolve, reject) => {
    config = {
      locateFile: (path) => (path.endsWith('.worker.js') ? worker : join(buildDir, path)),
      mainScriptUrlOrBlob: mainScript,
      instantiateWasm: (imports, receive) => {
        // The C++ threadpool takes min(requested, cores / 2); report enough cores for `threads`.
        imports.env.emscripten_num_logical_cores = () => 2 * threads;
        WebAssembly.instantiate(readFileSync(join(buildDir, `${BUILD}.wasm`)), imports).then(
          (r) => receive(r.instance, r.module),
          reject,
        );
        return {};
      },
      onAbort: (msg) => reject(new Error(`threaded wasm aborted: ${msg}`)),
    };
    factory(config).then(resolve, reject);
  }).catch((e: unknown) => {
    // Its preloaded workers are referenced: left running they would keep Node alive.
    config?.PThread?.terminateAllThreads();
    throw e;
  });
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  // Pool workers idle in Atomics.wait between ops; referenced, they would keep Node from exiting.
  for (const w of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) w.unref();
  return backend;
}

type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;
/** tfjs-backend-wasm's own priority, kept so 'auto' defaults in tf are unchanged. */
const WASM_PRIORITY = 2;
let stockFactory: BackendFactory | undefined;

/**
 * Chooses the build the 'wasm' backend will boot: threads > 1 → the threaded build (stock build
 * as fallback), otherwise the stock single-threaded one. Only effective before wasm is first
 * initialised; afterwards the running build stays and this returns false. `boot` is replaceable
 * so tests can exercise the fallback.
 */
export function configureWasmThreads(
  threads: number,
  boot: (threads: number) => Promise<tf.KernelBackend> = bootThreaded,
): boolean {
  if (tf.engine().registry.wasm !== undefined) return false;
  if (stockFactory === undefined) {
    const found = tf.findBackendFactory('wasm');
    if (found === null) throw new Error('wasm backend is not registered: import @tensorflow/tfjs-backend-wasm first');
    stockFactory = found;
  }
  const stock = stockFactory;
  tf.removeBackend('wasm');
  state.fallbackReason = undefined;
  if (threads <= 1) {
    state.requested = 0;
    tf.registerBackend('wasm', stock, WASM_PRIORITY);
    return true;
  }
  state.requested = threads;
  tf.registerBackend(
    'wasm',
    async () => {
      try {
        return await boot(threads);
      } catch (e) {
        state.requested = 0;
        state.fallbackReason = e instanceof Error ? e.message : String(e);
        setThreadsCount(1);
        return stock();
      }
    },
    WASM_PRIORITY,
  );
  return true;
}
