import * as tf from '@tensorflow/tfjs';

export type BackendChoice = 'cpu' | 'wasm';

/**
 * The tfjs backend for the parity reference. Stand-in until train/backend's selectBackend lands; unlike tfjs'
 * own fallback it never switches silently: a backend that fails to start is an error, and the one that ran
 * goes into parity.json.
 */
export async function useBackend(choice: BackendChoice): Promise<string> {
  // Kernels exist only once a backend module is imported for its side effects (STYLE.md trap 10).
  if (choice === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  const ok = await tf.setBackend(choice);
  if (!ok || tf.getBackend() !== choice) throw new Error(`tfjs backend ${choice} failed to start (running: ${tf.getBackend()}); try --backend cpu`);
  await tf.ready();
  return tf.getBackend();
}
