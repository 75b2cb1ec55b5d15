/**
 * `npm run setup:gpu`: the one step that makes a machine with an NVIDIA GPU (CUDA 12) train and probe on it.
 * npm ≥ 11.19 blocks dependency install scripts until approved, and .npmrc skips onnxruntime-node's CUDA
 * download (CI and CPU machines must not fetch it), so neither GPU piece arrives with `npm ci`. This runs
 * the two install scripts explicitly, with the settings they need:
 *   1. @tensorflow/tfjs-node-gpu (the version package.json pins), installed without scripts if it is absent;
 *   2. its install script, which downloads libtensorflow (GPU) and its Node binding;
 *   3. onnxruntime-node's install script with ONNXRUNTIME_NODE_INSTALL=cuda12: its CUDA/TensorRT providers.
 * `--dry-run` prints the steps; `--force` runs them without an NVIDIA driver present. `npm ci` removes what
 * this adds (it rebuilds node_modules): run it again after, `npm run doctor` says when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv, PROJECT_ROOT } from '../settings/index.js';
import { runChecks, formatChecks } from './checks.js';
import type { DoctorProbes } from './probes.js';

export interface SetupStep {
  what: string;
  command: string[];
  cwd: string;
  /** Set on top of the explicit child environment (settings/childEnv), and printed with the command. */
  extraEnv: Record<string, string>;
}

export const TFJS_GPU = '@tensorflow/tfjs-node-gpu';

/** The pinned version of a declared dependency, from package.json. */
export function declaredVersion(pkg: string, packageJson = join(PROJECT_ROOT, 'package.json')): string {
  const json = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, Record<string, string> | undefined>;
  const version = json.optionalDependencies?.[pkg] ?? json.dependencies?.[pkg];
  if (version === undefined) throw new Error(`${pkg} is not declared in ${packageJson}`);
  return version;
}

export function gpuSetupPlan(
  p: DoctorProbes,
  opts: { force?: boolean; version?: string } = {},
): { refusal?: string; steps: SetupStep[] } {
  const noGpu = p.nvidiaGpuMissing();
  if (noGpu !== undefined && opts.force !== true) {
    return {
      refusal: `${noGpu}: the GPU step needs an NVIDIA GPU with CUDA 12 (--force fetches the pieces anyway)`,
      steps: [],
    };
  }
  const steps: SetupStep[] = [];
  const tfDir = p.packageDir(TFJS_GPU) ?? join(PROJECT_ROOT, 'node_modules', ...TFJS_GPU.split('/'));
  if (p.packageDir(TFJS_GPU) === undefined) {
    const spec = `${TFJS_GPU}@${opts.version ?? declaredVersion(TFJS_GPU)}`;
    steps.push({
      what: `install ${spec} (its scripts run in the next step)`,
      command: ['npm', 'install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', spec],
      cwd: PROJECT_ROOT,
      extraEnv: {},
    });
  }
  if (!p.list(join(tfDir, 'deps', 'lib')).some((f) => f.startsWith('libtensorflow'))) {
    // The package's own install script (package.json "install"), run in its folder as npm would.
    steps.push({
      what: `${TFJS_GPU}'s install script: download libtensorflow (GPU) and its Node binding`,
      command: ['node', 'scripts/install.js', 'gpu', 'download'],
      cwd: tfDir,
      extraEnv: {},
    });
  }
  const ortDir = p.packageDir('onnxruntime-node');
  if (
    ortDir !== undefined &&
    !p.exists(join(ortDir, 'bin', 'napi-v6', p.platform, p.arch, 'libonnxruntime_providers_cuda.so'))
  ) {
    steps.push({
      what: "onnxruntime-node's install script: download the CUDA 12 execution provider",
      command: ['node', 'script/install'],
      cwd: ortDir,
      extraEnv: { ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
    });
  }
  return { steps };
}

export async function setupGpu(p: DoctorProbes, argv: readonly string[]): Promise<number> {
  const plan = gpuSetupPlan(p, { force: argv.includes('--force') });
  if (plan.refusal !== undefined) {
    console.error(`setup:gpu: ${plan.refusal}`);
    return 1;
  }
  if (plan.steps.length === 0) {
    console.log(
      'setup:gpu: nothing to do: tfjs-node-gpu with libtensorflow and the onnxruntime CUDA provider are in place',
    );
    return 0;
  }
  for (const [i, step] of plan.steps.entries()) {
    const vars = Object.entries(step.extraEnv)
      .map(([k, v]) => `${k}=${v} `)
      .join('');
    console.log(
      `setup:gpu ${i + 1}/${plan.steps.length}: ${step.what}\n  (cd ${step.cwd} && ${vars}${step.command.join(' ')})`,
    );
    if (argv.includes('--dry-run')) continue;
    const r = spawnSync(step.command[0], step.command.slice(1), {
      cwd: step.cwd,
      env: childEnv(step.extraEnv),
      stdio: 'inherit',
    });
    if (r.status !== 0) {
      console.error(
        `setup:gpu: step ${i + 1} failed (${r.error?.message ?? `exit ${r.status}`}); nothing after it ran`,
      );
      return 1;
    }
  }
  if (!argv.includes('--dry-run'))
    console.log(
      `\n${formatChecks((await runChecks(p)).filter((c) => ['training backend', 'tensorflow-gpu', 'onnxruntime', 'GPU setup'].includes(c.name)))}`,
    );
  return 0;
}
