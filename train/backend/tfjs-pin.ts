/**
 * The tfjs versions actprobe's speed-ups were written against. Three of them reach into tfjs' private parts:
 * wasm-threads.ts (tfjs-backend-wasm's Emscripten module and BackendWasm constructor), fused-adam.ts
 * (AdamOptimizer's fields) and fast-batch-norm.ts (the BatchNormalization layer's fields); the native kernels
 * feed the last two. package.json pins these exact versions; if another version is installed anyway (a
 * manual npm install, a hoisted copy), the wasm loader turns all of them off and says so, and tfjs' stock
 * code runs: slower, never a crash or a wrong gradient.
 */
import * as tf from '@tensorflow/tfjs';

export const TFJS_WRITTEN_AGAINST = '4.22.0';

export interface TfjsVersions {
  '@tensorflow/tfjs-core': string;
  '@tensorflow/tfjs-layers': string;
  '@tensorflow/tfjs-backend-wasm': string;
}

/** `wasmVersion`: tfjs-backend-wasm's `version_wasm` (passed in: that package is imported lazily, to report its absence). */
export function installedTfjsVersions(wasmVersion: string): TfjsVersions {
  return {
    '@tensorflow/tfjs-core': tf.version['tfjs-core'],
    '@tensorflow/tfjs-layers': tf.version['tfjs-layers'],
    '@tensorflow/tfjs-backend-wasm': wasmVersion,
  };
}

/** Why the private-part speed-ups must stay off with these versions, or undefined when they match. */
export function tfjsVersionMismatch(versions: TfjsVersions): string | undefined {
  const wrong = Object.entries(versions).filter(([, v]) => v !== TFJS_WRITTEN_AGAINST);
  if (wrong.length === 0) return undefined;
  const found = wrong.map(([pkg, v]) => `${pkg} ${v}`).join(', ');
  return `${found} installed, but the native kernels, threaded wasm, fused Adam and batch norm use private parts of ${TFJS_WRITTEN_AGAINST}, so tfjs' stock code runs (npm ci restores the pinned versions)`;
}
