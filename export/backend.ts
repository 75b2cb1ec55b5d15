import { describeBackend, selectBackend } from '../train/backend/index.js';
import type { BackendRequest } from '../train/backend/index.js';

export type BackendChoice = BackendRequest;

/**
 * The tfjs backend for the parity reference, chosen as training chooses it (so the wasm gradient kernels and
 * fixes are registered too). selectBackend never switches silently; the backend that ran goes into parity.json.
 */
export async function useBackend(choice: BackendChoice): Promise<string> {
  const report = await selectBackend(choice);
  console.error(describeBackend(report));
  return report.backend;
}
