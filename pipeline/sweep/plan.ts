/**
 * `--plan`: hand the sweep to a scheduler instead of running it here. Writes, under DIR/plan/:
 *   commands.txt    one `npm run pipeline` command per variant (run them anywhere, in any order)
 *   run-variant.sh  runs variant number I (0-based): resumes when its folder already holds a run
 *   job.yaml        a Kubernetes Indexed Job, completion index = variant number
 *   slurm.sh        a Slurm array job, array index = variant number
 * Each task writes one ordinary run folder into the shared DIR; `npm run compare-runs -- DIR` then builds
 * DIR/index.html from whatever finished.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepPaths, type SweepState } from './state.js';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** Kubernetes names: lowercase alphanumerics and '-', at most 63 characters. */
const k8sName = (s: string): string =>
  `actprobe-sweep-${s.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 63).replace(/-+$/, '');

export interface PlanFiles {
  commands: string;
  script: string;
  job: string;
  slurm: string;
}

export function planFiles(dir: string, state: SweepState, backend: string): PlanFiles {
  const abs = resolve(dir);
  const names = state.variants.map((v) => v.name);
  const commands = state.variants
    .map(
      (v) =>
        `npm run pipeline -- --config ${q(join(abs, v.config))} --out ${q(join(abs, v.folder))} --backend ${backend}`,
    )
    .join('\n');
  const script = `#!/usr/bin/env bash
# Runs one variant of the sweep in ${abs}: \`run-variant.sh I\` (I = 0..${names.length - 1}), or I from
# JOB_COMPLETION_INDEX (Kubernetes Indexed Job) / SLURM_ARRAY_TASK_ID (Slurm array).
# SWEEP_DIR and ACTPROBE_ROOT may point elsewhere on the machine that runs it (a shared volume, a checkout).
set -euo pipefail
SWEEP_DIR="\${SWEEP_DIR:-${abs}}"
ACTPROBE_ROOT="\${ACTPROBE_ROOT:-${PROJECT_ROOT}}"
VARIANTS=(${names.map(q).join(' ')})
I="\${1:-\${JOB_COMPLETION_INDEX:-\${SLURM_ARRAY_TASK_ID:?give the variant number}}}"
NAME="\${VARIANTS[$I]:?no variant number $I (0..${names.length - 1})}"
RESUME=()
# A retried task continues its run from the last checkpoint instead of refusing a used folder.
if [ -f "$SWEEP_DIR/$NAME/manifest.json" ]; then RESUME=(--resume); fi
mkdir -p "$SWEEP_DIR/logs"
cd "$ACTPROBE_ROOT"
exec npm run --silent pipeline -- --config "$SWEEP_DIR/configs/$NAME.json" --out "$SWEEP_DIR/$NAME" --backend ${backend} "\${RESUME[@]}" >>"$SWEEP_DIR/logs/$NAME.log" 2>&1
`;
  const job = `# Kubernetes Indexed Job: one pod per variant of the sweep ${basename(abs)} (${names.length} variants).
# Fill in the image (a build of actprobe with npm ci done) and the volume holding the sweep folder, then
#   kubectl apply -f job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: ${k8sName(basename(abs))}
spec:
  completionMode: Indexed
  completions: ${names.length}
  parallelism: ${Math.min(names.length, 4)}
  backoffLimitPerIndex: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: variant
          image: actprobe:latest
          workingDir: /app
          command: ["bash", "/sweeps/${basename(abs)}/plan/run-variant.sh"]
          env:
            - { name: SWEEP_DIR, value: /sweeps/${basename(abs)} }
            - { name: ACTPROBE_ROOT, value: /app }
          resources:
            requests: { cpu: "2", memory: 3Gi }
          volumeMounts:
            - { name: sweeps, mountPath: /sweeps }
      volumes:
        - name: sweeps
          persistentVolumeClaim: { claimName: actprobe-sweeps }
`;
  const slurm = `#!/usr/bin/env bash
# Slurm array job: one task per variant of the sweep in ${abs}.   sbatch ${join(abs, 'plan', 'slurm.sh')}
#SBATCH --job-name=${k8sName(basename(abs))}
#SBATCH --array=0-${names.length - 1}
#SBATCH --cpus-per-task=2
#SBATCH --mem=3G
#SBATCH --output=${join(abs, 'logs', 'slurm-%A_%a.out')}
exec bash ${q(join(abs, 'plan', 'run-variant.sh'))} "$SLURM_ARRAY_TASK_ID"
`;
  return { commands: `${commands}\n`, script, job, slurm };
}

export async function writePlan(dir: string, state: SweepState, backend: string): Promise<string[]> {
  const out = sweepPaths(dir).plan;
  await mkdir(out, { recursive: true });
  const f = planFiles(dir, state, backend);
  const written: Array<[string, string]> = [
    ['commands.txt', f.commands],
    ['run-variant.sh', f.script],
    ['job.yaml', f.job],
    ['slurm.sh', f.slurm],
  ];
  for (const [name, text] of written) await writeFile(join(out, name), text);
  await chmod(join(out, 'run-variant.sh'), 0o755);
  await chmod(join(out, 'slurm.sh'), 0o755);
  return written.map(([name]) => join(out, name));
}
