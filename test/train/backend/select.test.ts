/**
 * Backend selection logic with fake loaders and a fake engine, plus one real run on this machine.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  defaultWasmThreads,
  describeBackend,
  importFailureReason,
  registerWasmKernels,
  selectBackend,
  type Candidate,
  type CandidateLoader,
  type EnginePort,
  type LoaderTable,
} from '../../../train/backend/index.js';

function fakeEngine(options: { refuse?: string[]; actuallyRuns?: string } = {}): EnginePort & { calls: string[] } {
  let current = 'cpu';
  const calls: string[] = [];
  return {
    calls,
    setBackend: async (name) => {
      calls.push(name);
      if (options.refuse?.includes(name)) return false;
      current = options.actuallyRuns ?? name;
      return true;
    },
    getBackend: () => current,
  };
}

const notFound = (pkg: string): Error =>
  Object.assign(new Error(`Cannot find package '${pkg}' imported from /work/main/train/backend/loaders.ts`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
const missing =
  (pkg: string, hint: string): CandidateLoader =>
  async () => {
    throw new Error(importFailureReason(pkg, hint, notFound(pkg)));
  };
const provides =
  (tfBackend: string, loaded: Candidate[] = []): CandidateLoader =>
  async () => {
    loaded.push(tfBackend as Candidate);
    return { tfBackend, details: async () => (tfBackend === 'wasm' ? { wasm: { simd: true, threads: 2 } } : {}) };
  };

const noNative: Partial<LoaderTable> = {
  'tensorflow-gpu': missing(
    '@tensorflow/tfjs-node-gpu',
    'optional dependency; needs libtensorflow + CUDA: npm run setup:gpu',
  ),
  tensorflow: missing('@tensorflow/tfjs-node', 'not a dependency'),
  wasm: provides('wasm'),
  cpu: provides('cpu'),
};

describe('selectBackend with injected loaders', () => {
  it('chooses tfjs-node-gpu when it loads, without touching the later candidates', async () => {
    const later: Candidate[] = [];
    const engine = fakeEngine();
    const report = await selectBackend('auto', {
      engine,
      loaders: {
        'tensorflow-gpu': provides('tensorflow'),
        tensorflow: provides('tensorflow', later),
        wasm: provides('wasm', later),
      },
    });
    expect(report).toMatchObject({ backend: 'tensorflow', candidate: 'tensorflow-gpu' });
    expect(report.attempts).toEqual([
      { candidate: 'tensorflow-gpu', ok: true, reason: "running as tf backend 'tensorflow'" },
    ]);
    expect(later).toEqual([]);
    expect(engine.calls).toEqual(['tensorflow']);
  });

  it('falls to wasm when the native packages are absent, saying why', async () => {
    const report = await selectBackend('auto', { engine: fakeEngine(), loaders: noNative });
    expect(report).toMatchObject({ backend: 'wasm', candidate: 'wasm', wasm: { simd: true, threads: 2 } });
    expect(report.attempts.map((a) => [a.candidate, a.ok])).toEqual([
      ['tensorflow-gpu', false],
      ['wasm', true],
    ]);
    expect(describeBackend(report)).toBe(
      'backend wasm (SIMD, 2 threads); ' +
        'tensorflow-gpu: package @tensorflow/tfjs-node-gpu is not installed (optional dependency; needs libtensorflow + CUDA: npm run setup:gpu)',
    );
  });

  it('auto never tries @tensorflow/tfjs-node, which package.json does not declare', async () => {
    const tried: Candidate[] = [];
    await selectBackend('auto', {
      engine: fakeEngine(),
      loaders: { ...noNative, tensorflow: provides('tensorflow', tried) },
    });
    expect(tried).toEqual([]);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies: Record<string, string> };
    expect(Object.keys(pkg.optionalDependencies)).toContain('@tensorflow/tfjs-node-gpu');
  });

  it('moves on when tf.setBackend reports that the backend factory failed', async () => {
    const report = await selectBackend('auto', { engine: fakeEngine({ refuse: ['wasm'] }), loaders: noNative });
    expect(report.candidate).toBe('cpu');
    expect(report.attempts[1]).toEqual({
      candidate: 'wasm',
      ok: false,
      reason: expect.stringContaining("tf.setBackend('wasm') failed"),
    });
  });

  it('an explicit backend that cannot load is an error listing what is available', async () => {
    await expect(selectBackend('tensorflow-gpu', { engine: fakeEngine(), loaders: noNative })).rejects.toThrow(
      'backend tensorflow-gpu cannot be used: tensorflow-gpu: package @tensorflow/tfjs-node-gpu is not installed ' +
        '(optional dependency; needs libtensorflow + CUDA: npm run setup:gpu). Available here: wasm, cpu',
    );
  });

  it('never falls back silently: a different running backend is an error naming both', async () => {
    await expect(
      selectBackend('wasm', { engine: fakeEngine({ actuallyRuns: 'cpu' }), loaders: noNative }),
    ).rejects.toThrow("backend wasm was requested and activated as 'wasm', but tf is running 'cpu'");
  });

  it('fails with every reason when nothing loads', async () => {
    const broken =
      (c: Candidate): CandidateLoader =>
      async () => {
        throw new Error(`${c} broken`);
      };
    const none: LoaderTable = {
      'tensorflow-gpu': broken('tensorflow-gpu'),
      tensorflow: broken('tensorflow'),
      wasm: broken('wasm'),
      cpu: broken('cpu'),
    };
    await expect(selectBackend('auto', { engine: fakeEngine(), loaders: none })).rejects.toThrow(
      'no tfjs backend could be loaded (tensorflow-gpu: tensorflow-gpu broken; wasm: wasm broken; cpu: cpu broken)',
    );
  });
});

describe('importFailureReason', () => {
  it('tells "not installed" from "installed but broken"', () => {
    expect(importFailureReason('@tensorflow/tfjs-node', 'hint', notFound('@tensorflow/tfjs-node'))).toBe(
      'package @tensorflow/tfjs-node is not installed (hint)',
    );
    const dlopen = new Error('libcudart.so.11.0: cannot open shared object file\n    at Module._extensions..node');
    expect(importFailureReason('@tensorflow/tfjs-node-gpu', 'hint', dlopen)).toBe(
      'package @tensorflow/tfjs-node-gpu failed to load: libcudart.so.11.0: cannot open shared object file',
    );
  });
});

describe('selectBackend on this machine', () => {
  it('auto runs what it reports, with wasm details when on wasm', async () => {
    const report = await selectBackend('auto');
    expect(report.backend).toBe(tf.getBackend());
    expect(report.attempts.at(-1)).toMatchObject({ candidate: report.candidate, ok: true });
    for (const failed of report.attempts.slice(0, -1))
      expect(failed.reason).toMatch(/not installed|failed to load|setBackend/);
    if (report.backend === 'wasm') {
      const expectedThreads =
        report.wasm?.threadsFallback === undefined ? defaultWasmThreads(report.wasm?.native !== undefined) : 1;
      expect(report.wasm).toMatchObject({ simd: true, threads: expectedThreads });
      expect(describeBackend(report)).toMatch(/^backend wasm \(SIMD, \d threads?/);
    }
  });

  it('registering the wasm kernels again changes nothing', async () => {
    await selectBackend('wasm');
    const before = tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc;
    expect(registerWasmKernels()).toEqual({ added: [], overridden: [] });
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(before);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});
