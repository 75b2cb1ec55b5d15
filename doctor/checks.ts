/**
 * `npm run doctor`'s findings: for each piece, what this machine has and, where something is missing, what
 * it would gain and the one step that adds it. Pure over DoctorProbes (probes.ts), so every missing piece
 * can be simulated in tests.
 */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../settings/index.js';
import { addonPath, nodeHeaderDirs } from '../train/backend/native/build.js';
import { missingFeatures, targetFor } from '../train/backend/native/cpu-target.js';
import { architectureRefusal } from '../train/backend/native/load.js';
import { FASHION_MNIST_FILES, FASHION_MNIST_SYSTEM_DIR } from '../data/fashion-mnist.js';
import { BUILTIN_CARDS } from '../probe/cards/builtin.js';
import type { DoctorProbes } from './probes.js';

export interface Check {
  name: string;
  /** ok: present; missing: absent and worth adding; off: absent by choice or not applicable here. */
  status: 'ok' | 'missing' | 'off';
  detail: string;
  /** What adding it would give, and how. */
  gain?: string;
}

export const SETUP_GPU_HINT = 'npm run setup:gpu';
const NATIVE_GAIN = 'training on wasm ~3× faster (the default pipeline: 2½ instead of 8 minutes on 2 cores)';

export function nativeCheck(p: DoctorProbes): Check {
  const name = 'native kernels';
  if (p.settings.native === 'off') return { name, status: 'off', detail: 'disabled by ACTPROBE_NATIVE=0' };
  const refusal = architectureRefusal(p.arch);
  if (refusal !== undefined && p.settings.native !== 'on') return { name, status: 'off', detail: refusal };
  const cpu = p.cpu();
  if (!cpu.ok) return { name, status: 'off', detail: `cannot read this CPU's features: ${cpu.reason}` };
  const target = targetFor(p.arch);
  const lacking = missingFeatures(target, cpu.features);
  if (lacking.length > 0)
    return {
      name,
      status: 'off',
      detail: `this CPU lacks ${lacking.join(', ')}, which the ${target.name} kernels need`,
    };
  const path = addonPath({
    cxx: p.settings.cxx,
    arch: p.arch,
    cacheDir: p.settings.nativeCacheDir,
    cpuFeatures: cpu.features,
  });
  if (p.exists(path)) return { name, status: 'ok', detail: `built for ${target.name} at ${path}` };
  const compiler = p.compilerVersion(p.settings.cxx);
  if (compiler === undefined) {
    return {
      name,
      status: 'missing',
      detail: `no C++ compiler (${p.settings.cxx} does not run)`,
      gain: `${NATIVE_GAIN}: apt-get install g++ (or set CXX), then npm run build:native`,
    };
  }
  if (!nodeHeaderDirs().some((d) => p.exists(join(d, 'node_api.h')))) {
    return {
      name,
      status: 'missing',
      detail: `Node's headers (node_api.h) not found in ${nodeHeaderDirs().join(', ')}`,
      gain: `${NATIVE_GAIN}: install Node.js with its headers`,
    };
  }
  return {
    name,
    status: 'missing',
    detail: `not built yet (${compiler} is ready)`,
    gain: 'built on the first training run, or now: npm run build:native',
  };
}

/** Why @tensorflow/tfjs-node-gpu cannot train here, or undefined when it can. */
async function tfjsGpuProblem(p: DoctorProbes): Promise<string | undefined> {
  const pkg = '@tensorflow/tfjs-node-gpu';
  const dir = p.packageDir(pkg);
  if (dir === undefined) return `${pkg} is not installed`;
  if (!p.list(join(dir, 'deps', 'lib')).some((f) => f.startsWith('libtensorflow'))) {
    return `${pkg} is installed but its install script never fetched libtensorflow (npm blocks dependency install scripts until approved)`;
  }
  const error = await p.tryImport(pkg);
  return error === undefined ? undefined : `${pkg} fails to load: ${error}`;
}

function ortCudaProvider(p: DoctorProbes): string | undefined {
  const dir = p.packageDir('onnxruntime-node');
  if (dir === undefined) return undefined;
  const file = join(dir, 'bin', 'napi-v6', p.platform, p.arch, 'libonnxruntime_providers_cuda.so');
  return p.exists(file) ? file : undefined;
}

export async function runChecks(p: DoctorProbes): Promise<Check[]> {
  const checks: Check[] = [];
  const noGpu = p.nvidiaGpuMissing();
  const native = nativeCheck(p);
  const gpuProblem = await tfjsGpuProblem(p);
  const wasm = p.packageDir('@tensorflow/tfjs-backend-wasm') !== undefined;
  const nativeNote =
    native.status === 'ok' || native.detail.startsWith('not built yet')
      ? ' + native kernels'
      : ' without native kernels (see below)';
  const trains =
    gpuProblem === undefined
      ? 'tensorflow-gpu (@tensorflow/tfjs-node-gpu, CUDA)'
      : wasm
        ? `wasm${nativeNote}`
        : 'cpu (pure JavaScript, slow): @tensorflow/tfjs-backend-wasm is missing, run npm ci';
  checks.push({ name: 'training backend', status: 'ok', detail: `--backend auto would train on ${trains}` });
  if (gpuProblem !== undefined) {
    checks.push(
      noGpu === undefined
        ? {
            name: 'tensorflow-gpu',
            status: 'missing',
            detail: gpuProblem,
            gain: `training on the GPU: ${SETUP_GPU_HINT}`,
          }
        : { name: 'tensorflow-gpu', status: 'off', detail: `${gpuProblem}; not useful here: ${noGpu}` },
    );
  }
  checks.push(native);
  const cuda = ortCudaProvider(p);
  const ortEps =
    p.packageDir('onnxruntime-node') === undefined
      ? undefined
      : cuda !== undefined && noGpu === undefined
        ? 'cpu, cuda'
        : 'cpu';
  if (ortEps === undefined)
    checks.push({
      name: 'onnxruntime',
      status: 'missing',
      detail: 'onnxruntime-node is not installed',
      gain: 'export checks, probe and serve: npm ci',
    });
  else if (noGpu !== undefined)
    checks.push({ name: 'onnxruntime', status: 'ok', detail: `execution providers: ${ortEps}; cuda: ${noGpu}` });
  else if (cuda === undefined)
    checks.push({
      name: 'onnxruntime',
      status: 'missing',
      detail: `execution providers: ${ortEps}; cuda: provider not downloaded (.npmrc skips onnxruntime-node's CUDA download)`,
      gain: `probe and serve on the GPU (--ep cuda): ${SETUP_GPU_HINT}`,
    });
  else checks.push({ name: 'onnxruntime', status: 'ok', detail: `execution providers: ${ortEps}` });
  if (noGpu === undefined) {
    const done = gpuProblem === undefined && cuda !== undefined;
    checks.push(
      done
        ? { name: 'GPU setup', status: 'ok', detail: 'tfjs-node-gpu and the onnxruntime CUDA provider are in place' }
        : {
            name: 'GPU setup',
            status: 'missing',
            detail: 'an NVIDIA GPU is here but the GPU step has not run',
            gain: SETUP_GPU_HINT,
          },
    );
  }
  checks.push(fashionMnistCheck(p));
  const alexnet = BUILTIN_CARDS['bvlcalexnet-12'];
  const alexPath = join(p.settings.referenceCacheDir, alexnet.file ?? 'bvlcalexnet-12.onnx');
  checks.push(
    p.exists(alexPath)
      ? { name: 'AlexNet reference', status: 'ok', detail: alexPath }
      : {
          name: 'AlexNet reference',
          status: 'missing',
          detail: `not in ${p.settings.referenceCacheDir}`,
          gain: 'comparison with the ONNX zoo AlexNet: npm run fetch-reference -- alexnet (233 MB)',
        },
  );
  const squeeze = join(PROJECT_ROOT, 'assets', 'reference', 'squeezenet1.1.onnx');
  checks.push(
    p.exists(squeeze)
      ? { name: 'SqueezeNet reference', status: 'ok', detail: squeeze }
      : {
          name: 'SqueezeNet reference',
          status: 'missing',
          detail: `${squeeze} is missing from this checkout`,
          gain: 'the shipped pretrained reference: restore it with git checkout -- assets/reference',
        },
  );
  const chromium = p.exists('/usr/bin/chromium') && p.packageDir('playwright-core') !== undefined;
  checks.push(
    chromium
      ? { name: 'Chromium', status: 'ok', detail: '/usr/bin/chromium with playwright-core' }
      : {
          name: 'Chromium',
          status: 'missing',
          detail: p.exists('/usr/bin/chromium') ? 'playwright-core is not installed' : '/usr/bin/chromium not found',
          gain: 'the browser page and report.html tests: apt-get install chromium',
        },
  );
  for (const [module, pkg, why] of [
    ['onnx', 'python3-onnx', 'the independent ONNX checker in tests'],
    ['torch', 'python3-torch', 'PyTorch-exported test models and the PyTorch bench baseline'],
  ] as const) {
    checks.push(
      p.python(module)
        ? { name: pkg, status: 'ok', detail: `/usr/bin/python3 imports ${module}` }
        : {
            name: pkg,
            status: 'missing',
            detail: `/usr/bin/python3 cannot import ${module}`,
            gain: `${why}: apt-get install ${pkg}`,
          },
    );
  }
  return checks;
}

function fashionMnistCheck(p: DoctorProbes): Check {
  const s = p.settings;
  const dirs = [
    s.dataDir && join(s.dataDir, 'fashion-mnist'),
    s.dataDir,
    join(s.userCacheHome, 'actprobe', 'fashion-mnist'),
    FASHION_MNIST_SYSTEM_DIR,
  ].filter((d): d is string => d !== undefined && d !== '');
  const names = Object.values(FASHION_MNIST_FILES).map((f) => f.name);
  const found = dirs.find((d) => {
    const files = new Set(p.list(d));
    return names.every((n) => files.has(n) || files.has(n.replace(/\.gz$/, '')));
  });
  if (found !== undefined) return { name: 'Fashion-MNIST', status: 'ok', detail: found };
  return {
    name: 'Fashion-MNIST',
    status: 'missing',
    detail: `not in ${dirs.join(', ')}`,
    gain: 'real data instead of the synthetic set: apt-get install dataset-fashion-mnist, or set ACTPROBE_DATA',
  };
}

export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const mark = { ok: 'ok', missing: '--', off: 'off' } as const;
  return checks
    .map((c) => {
      const head = `${mark[c.status].padEnd(3)} ${c.name.padEnd(width)}  ${c.detail}`;
      return c.gain === undefined ? head : `${head}\n${' '.repeat(width + 6)}→ ${c.gain}`;
    })
    .join('\n');
}
