/**
 * The threaded-wasm boot falls back to the stock single-threaded build, with the reason kept.
 * Own file: vitest gives it a fresh process, so wasm is not yet initialised here.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { configureWasmThreads, wasmThreadState, workerFile } from '../../../train/backend/wasm-threads.js';

describe('configureWasmThreads', () => {
  it('falls back to the stock build when the threaded boot fails', async () => {
    expect(
      configureWasmThreads(2, async () => {
        throw new Error('workers unavailable');
      }),
    ).toBe(true);
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

describe('the pthread worker script', () => {
  it('is written under the given cache folder, reused only while its bytes match its hash, replaced otherwise', () => {
    const buildDir = dirname(
      createRequire(import.meta.url).resolve(
        '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
      ),
    );
    const cache = mkdtempSync(join(tmpdir(), 'actprobe-worker-'));
    try {
      const file = workerFile(buildDir, cache);
      expect(dirname(file)).toBe(cache);
      const good = readFileSync(file, 'utf8');
      const hash = createHash('sha256').update(good).digest('hex');
      expect(basename(file)).toBe(`worker-${hash.slice(0, 16)}.cjs`);
      writeFileSync(file, `${good}\nrequire('child_process').execSync('echo planted');`);
      expect(workerFile(buildDir, cache)).toBe(file);
      expect(readFileSync(file, 'utf8')).toBe(good);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
