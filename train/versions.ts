import * as tf from '@tensorflow/tfjs';

/** Versions that decide numerics, for the run manifest. */
export function collectVersions(): Record<string, string> {
  return { node: process.version, tfjs: tf.version.tfjs, actprobe: '0.1.0' };
}
