/**
 * What `npm run doctor` looks at, as one injectable interface: the real probes read the file system and
 * load packages; tests replace single probes to simulate a missing piece without uninstalling anything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { childEnv, PROJECT_ROOT, settings, type Settings } from '../settings/index.js';
import { readCpuFeatures, type CpuFeatures } from '../train/backend/native/cpu-target.js';

export interface DoctorProbes {
  settings: Settings;
  platform: string;
  arch: string;
  cpu(): CpuFeatures;
  exists(path: string): boolean;
  /** Files in a folder ([] when it does not exist). */
  list(dir: string): string[];
  /** The folder of an installed package, or undefined. */
  packageDir(name: string): string | undefined;
  /** Loads a package; resolves to undefined, or to the first line of the error. */
  tryImport(name: string): Promise<string | undefined>;
  /** `cxx --version`'s first line, or undefined when it does not run. */
  compilerVersion(cxx: string): string | undefined;
  /** Why there is no usable NVIDIA GPU, or undefined when there is one. */
  nvidiaGpuMissing(): string | undefined;
  /** Whether /usr/bin/python3 imports the module. */
  python(module: string): boolean;
}

const require = createRequire(import.meta.url);

export function realProbes(): DoctorProbes {
  return {
    settings: settings(),
    platform: process.platform,
    arch: process.arch,
    cpu: () => readCpuFeatures(),
    exists: existsSync,
    list: (dir) => (existsSync(dir) ? readdirSync(dir) : []),
    packageDir: (name) => {
      try {
        return dirname(require.resolve(`${name}/package.json`, { paths: [PROJECT_ROOT] }));
      } catch {
        return undefined;
      }
    },
    tryImport: async (name) => {
      const specifier: string = name;
      try {
        await import(specifier);
        return undefined;
      } catch (e) {
        return (e instanceof Error ? e.message : String(e)).split('\n')[0];
      }
    },
    compilerVersion: (cxx) => {
      const r = spawnSync(cxx, ['--version'], { encoding: 'utf8', env: childEnv(), timeout: 10_000 });
      return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
    },
    nvidiaGpuMissing: () => {
      if (existsSync('/dev/nvidiactl') || existsSync('/proc/driver/nvidia/version')) return undefined;
      return 'no NVIDIA driver here (/dev/nvidiactl and /proc/driver/nvidia absent)';
    },
    python: (module) =>
      spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore', env: childEnv(), timeout: 60_000 })
        .status === 0,
  };
}
