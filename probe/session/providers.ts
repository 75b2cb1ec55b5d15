/**
 * Which onnxruntime execution providers can run here. onnxruntime-node ships the CPU provider; the CUDA one
 * is a separate shared library its installer downloads (skipped by .npmrc here). Looking for the file
 * tells "not installed" apart from "installed but no GPU/driver", which only session creation reveals.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type EpChoice = 'auto' | 'cpu' | 'cuda';
export const EP_CHOICES: readonly EpChoice[] = ['auto', 'cpu', 'cuda'];

export function onnxruntimeBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('onnxruntime-node');
  return join(dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

export const CUDA_PROVIDER_LIBRARY = 'libonnxruntime_providers_cuda.so';

export interface CudaAvailability {
  present: boolean;
  /** Why not, in words a user can act on. */
  reason: string;
}

export function cudaProviderLibrary(dir = onnxruntimeBinaryDir()): CudaAvailability {
  if (process.platform !== 'linux')
    return { present: false, reason: `the CUDA provider is only wired for Linux here (platform ${process.platform})` };
  const lib = join(dir, CUDA_PROVIDER_LIBRARY);
  if (existsSync(lib)) return { present: true, reason: `${lib} found` };
  return {
    present: false,
    reason: `${lib} is not installed (onnxruntime-node downloads it at install time when npm config onnxruntime-node-install=cuda12; this checkout sets it to skip in .npmrc)`,
  };
}

export function parseEp(value: string): EpChoice {
  if ((EP_CHOICES as readonly string[]).includes(value)) return value as EpChoice;
  throw new Error(`Unknown execution provider "${value}"; use one of: ${EP_CHOICES.join(', ')}.`);
}
