/**
 * `npm run doctor` and `npm run setup:gpu` over simulated machines: one where everything is present, and
 * that machine with each piece taken away in turn (through the injected probes; nothing is uninstalled).
 * One real run at the end checks the command itself.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatChecks, runChecks, type Check } from '../../doctor/checks.js';
import type { DoctorProbes } from '../../doctor/probes.js';
import { gpuSetupPlan } from '../../doctor/setup-gpu.js';
import { childEnv, PROJECT_ROOT, readSettings } from '../../settings/index.js';
import { addonPath, nodeHeaderDirs } from '../../train/backend/native/build.js';
import { X86_64_V3 } from '../../train/backend/native/cpu-target.js';

const settings = readSettings({ HOME: '/home/u', ACTPROBE_CACHE: '/proj/.cache', XDG_CACHE_HOME: '/home/u/.cache' });
const features = new Set(X86_64_V3.requires);
const addon = addonPath({ cxx: 'g++', arch: 'x64', cacheDir: settings.nativeCacheDir, cpuFeatures: features });
const pkgs: Record<string, string> = {
  '@tensorflow/tfjs-node-gpu': '/nm/tfjs-node-gpu',
  '@tensorflow/tfjs-backend-wasm': '/nm/wasm',
  'onnxruntime-node': '/nm/ort',
  'playwright-core': '/nm/pw',
};
const cudaProvider = '/nm/ort/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so';
const headers = join(nodeHeaderDirs()[0], 'node_api.h');
const files = new Set([
  addon,
  headers,
  cudaProvider,
  '/usr/bin/chromium',
  join(settings.referenceCacheDir, 'bvlcalexnet-12.onnx'),
  join(PROJECT_ROOT, 'assets/reference/squeezenet1.1.onnx'),
]);
const dirs: Record<string, string[]> = {
  '/nm/tfjs-node-gpu/deps/lib': ['libtensorflow.so.2'],
  '/usr/share/datasets/fashion-mnist': [
    'train-images-idx3-ubyte.gz',
    'train-labels-idx1-ubyte.gz',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte.gz',
  ],
};

/** A GPU machine with every piece in place; `change` takes one away. */
function machine(change: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    settings,
    platform: 'linux',
    arch: 'x64',
    cpu: () => ({ ok: true, source: 'simulated', features }),
    exists: (p) => files.has(p),
    list: (d) => dirs[d] ?? [],
    packageDir: (n) => pkgs[n],
    tryImport: async () => undefined,
    compilerVersion: () => 'g++ (Debian 12.2.0) 12.2.0',
    nvidiaGpuMissing: () => undefined,
    python: () => true,
    ...change,
  };
}

const without =
  (set: Set<string>, ...gone: string[]): ((p: string) => boolean) =>
  (p) =>
    set.has(p) && !gone.includes(p);
const find = (checks: Check[], name: string): Check =>
  checks.find((c) => c.name === name) ?? ({ name, status: 'off', detail: 'absent' } as Check);

describe('npm run doctor', () => {
  it('on a complete GPU machine everything is ok and training would run on tensorflow-gpu', async () => {
    const checks = await runChecks(machine());
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(find(checks, 'training backend').detail).toBe(
      '--backend auto would train on tensorflow-gpu (@tensorflow/tfjs-node-gpu, CUDA)',
    );
    expect(find(checks, 'onnxruntime').detail).toBe('execution providers: cpu, cuda');
  });

  it('says when the GPU step has not run: libtensorflow and the CUDA provider missing', async () => {
    const checks = await runChecks(machine({ list: () => [], exists: without(files, cudaProvider) }));
    expect(find(checks, 'tensorflow-gpu')).toMatchObject({
      status: 'missing',
      gain: 'training on the GPU: npm run setup:gpu',
    });
    expect(find(checks, 'tensorflow-gpu').detail).toContain(
      'its install script never fetched libtensorflow (npm blocks dependency install scripts until approved)',
    );
    expect(find(checks, 'training backend').detail).toBe('--backend auto would train on wasm + native kernels');
    expect(find(checks, 'onnxruntime')).toMatchObject({
      status: 'missing',
      gain: 'probe and serve on the GPU (--ep cuda): npm run setup:gpu',
    });
    expect(find(checks, 'GPU setup')).toMatchObject({ status: 'missing', gain: 'npm run setup:gpu' });
  });

  it('without a GPU the GPU pieces are "off", not missing, and say why', async () => {
    const checks = await runChecks(
      machine({
        nvidiaGpuMissing: () => 'no NVIDIA driver (simulated)',
        packageDir: (n) => (n.includes('gpu') ? undefined : pkgs[n]),
      }),
    );
    expect(find(checks, 'tensorflow-gpu')).toMatchObject({
      status: 'off',
      detail: '@tensorflow/tfjs-node-gpu is not installed; not useful here: no NVIDIA driver (simulated)',
    });
    expect(find(checks, 'onnxruntime').detail).toBe('execution providers: cpu; cuda: no NVIDIA driver (simulated)');
    expect(checks.some((c) => c.name === 'GPU setup')).toBe(false);
  });

  it('native kernels: not built, no compiler, old CPU, non-x86, disabled', async () => {
    const notBuilt = find(await runChecks(machine({ exists: without(files, addon) })), 'native kernels');
    expect(notBuilt).toMatchObject({
      status: 'missing',
      detail: 'not built yet (g++ (Debian 12.2.0) 12.2.0 is ready)',
      gain: 'built on the first training run, or now: npm run build:native',
    });
    const noCxx = find(
      await runChecks(machine({ exists: without(files, addon), compilerVersion: () => undefined })),
      'native kernels',
    );
    expect(noCxx.detail).toBe('no C++ compiler (g++ does not run)');
    expect(noCxx.gain).toMatch(
      /^training on wasm ~3× faster .*: apt-get install g\+\+ \(or set CXX\), then npm run build:native$/,
    );
    const noHeaders = find(await runChecks(machine({ exists: without(files, addon, headers) })), 'native kernels');
    expect(noHeaders.detail).toMatch(/^Node's headers \(node_api\.h\) not found in /);
    const old = find(
      await runChecks(machine({ cpu: () => ({ ok: true, source: 's', features: new Set(['avx']) }) })),
      'native kernels',
    );
    expect(old).toMatchObject({
      status: 'off',
      detail: expect.stringMatching(/^this CPU lacks sse4_1, .*avx2.*, which the x86-64-v3 kernels need$/),
    });
    const arm = find(await runChecks(machine({ arch: 'arm64' })), 'native kernels');
    expect(arm.detail).toMatch(/^on arm64 the native kernels would run a portable scalar GEMM/);
    const off = find(await runChecks(machine({ settings: { ...settings, native: 'off' } })), 'native kernels');
    expect(off).toMatchObject({ status: 'off', detail: 'disabled by ACTPROBE_NATIVE=0' });
  });

  it('data sets, references, Chromium and the Python test peers, each missing', async () => {
    const checks = await runChecks(
      machine({
        list: (d) => (d.includes('fashion-mnist') ? ['train-images-idx3-ubyte.gz'] : (dirs[d] ?? [])),
        exists: without(
          files,
          join(settings.referenceCacheDir, 'bvlcalexnet-12.onnx'),
          join(PROJECT_ROOT, 'assets/reference/squeezenet1.1.onnx'),
          '/usr/bin/chromium',
        ),
        python: (m) => m !== 'torch',
      }),
    );
    expect(find(checks, 'Fashion-MNIST')).toMatchObject({
      status: 'missing',
      gain: expect.stringContaining('apt-get install dataset-fashion-mnist'),
    });
    expect(find(checks, 'AlexNet reference').gain).toContain('npm run fetch-reference -- alexnet');
    expect(find(checks, 'SqueezeNet reference').detail).toContain('assets/reference/squeezenet1.1.onnx is missing');
    expect(find(checks, 'Chromium')).toMatchObject({ status: 'missing', detail: '/usr/bin/chromium not found' });
    expect(find(checks, 'python3-torch')).toMatchObject({
      status: 'missing',
      gain: expect.stringContaining('apt-get install python3-torch'),
    });
    expect(find(checks, 'python3-onnx').status).toBe('ok');
    expect(formatChecks(checks)).toMatch(
      /^-- {2}AlexNet reference +not in \/home\/u\/\.cache\/actprobe\/reference\n +→ comparison with the ONNX zoo AlexNet/m,
    );
  });

  it('setup:gpu plans exactly the missing steps, with the settings each install script needs', () => {
    expect(gpuSetupPlan(machine()).steps).toEqual([]);
    expect(gpuSetupPlan(machine({ nvidiaGpuMissing: () => 'no driver' })).refusal).toMatch(
      /^no driver: the GPU step needs an NVIDIA GPU with CUDA 12/,
    );
    const fresh = gpuSetupPlan(
      machine({ packageDir: (n) => (n.includes('gpu') ? undefined : pkgs[n]), list: () => [], exists: () => false }),
      { version: '4.22.0' },
    );
    expect(fresh.steps.map((s) => [s.command.join(' '), s.extraEnv])).toEqual([
      ['npm install --no-save --ignore-scripts --no-audit --no-fund @tensorflow/tfjs-node-gpu@4.22.0', {}],
      ['node scripts/install.js gpu download', {}],
      ['node script/install', { ONNXRUNTIME_NODE_INSTALL: 'cuda12' }],
    ]);
    expect(fresh.steps[2].cwd).toBe('/nm/ort');
  });

  it('the real command runs, reads only, and exits 0', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'doctor/cli.ts'], {
      encoding: 'utf8',
      env: childEnv({}, { withSettings: true }),
      timeout: 90_000,
    });
    expect(r.status, r.stderr).toBe(0);
    for (const name of [
      'training backend',
      'native kernels',
      'onnxruntime',
      'Fashion-MNIST',
      'AlexNet reference',
      'SqueezeNet reference',
      'Chromium',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^(ok |-- |off) ${name}`, 'm'));
    }
  });
});
