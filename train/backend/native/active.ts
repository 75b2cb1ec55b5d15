/**
 * Which native kernels the wasm kernel overrides use right now. The overrides stay registered; with none
 * active they run the wasm path, so tests can compare both in one process.
 */
import type { NativeKernels } from './load.js';

let active: NativeKernels | null = null;

export function setActiveNative(kernels: NativeKernels | null): void {
  active = kernels;
}

export function activeNative(): NativeKernels | null {
  return active;
}
