/**
 * The threaded-wasm boot falls back to the stock single-threaded build, with the reason kept.
 * Own file: vitest gives it a fresh process, so wasm is not yet initialised here.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { configureWasmThreads, wasmThreadState } from '../../../train/backend/wasm-threads.js';

describe('configureWasmThreads', () => {
  it('falls back to the stock build when the threaded boot fails', async () => {
    expect(configureWasmThreads(2, async () => {
      throw new Error('workers unavailable');
    })).toBe(true);
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    expect(getThreadsCount()).toBe(1);
    expect(wasmThreadState()).toEqual({ requested: 0, fallbackReason: 'workers unavailable' });
    expect(tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0]).toBe(5);
  });

  it('cannot swap builds once wasm runs', () => {
    expect(configureWasmThreads(2)).toBe(false);
  });
});
