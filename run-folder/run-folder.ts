import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './fs-atomic.js';

/** Paths of a run folder (DESIGN.md "Run folder"): one place, so stages never spell them twice. */
export const runPaths = (dir: string) => ({
  manifest: join(dir, 'manifest.json'),
  metrics: join(dir, 'metrics.jsonl'),
  activations: join(dir, 'activations.jsonl'),
  checkpoints: join(dir, 'checkpoints'),
  model: join(dir, 'model.onnx'),
  parity: join(dir, 'parity.json'),
  compare: join(dir, 'compare.json'),
  diagnosis: join(dir, 'diagnosis.json'),
  report: join(dir, 'report.html'),
  failure: join(dir, 'failure.json'),
  lock: join(dir, 'run.lock'),
});

export const runStatusSchema = z.enum(['running', 'finished', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** One `--resume --allow-config-change`: which fields changed, from what to what, and where training stood. */
export const configChangeSchema = z.object({
  at: z.string(),
  /** The checkpoint the changed config continued from. */
  fromCheckpoint: z.int().nonnegative(),
  fields: z.array(z.object({ path: z.string(), recorded: z.unknown(), given: z.unknown() })),
});
export type ConfigChange = z.infer<typeof configChangeSchema>;

// JSON.stringify writes NaN/±Inf as null: a diverged run still has a readable manifest.
const num = z.number().nullable();

/**
 * manifest.json: what ran and how long each stage took. Loose: a field some stage adds is kept through every
 * update, not dropped; the fields named here must have these types. A field missing from an older run's
 * manifest takes its default, so reading never fails for a field added later.
 */
export const manifestSchema = z.looseObject({
  /** The config the run was started with (train or pipeline config, defaults filled in). */
  config: z.unknown(),
  /** tfjs backend that trained (tf.getBackend()), with what was tried. */
  backend: z.string().nullable().default(null),
  backendDetail: z.string().optional(),
  /** onnxruntime execution provider that probed (set by the probe stage). */
  executionProvider: z.string().nullable().default(null),
  /** Final test top-1 accuracy, 0–1. */
  testAccuracy: num.default(null),
  /** Stage name → seconds. */
  stages: z.record(z.string(), z.number()).default({}),
  status: runStatusSchema.default('running'),
  versions: z.record(z.string(), z.string()).default({}),
  data: z
    .object({
      name: z.string(),
      origin: z.string(),
      classes: z.int(),
      labels: z.array(z.string()),
      height: z.int(),
      width: z.int(),
      channels: z.int(),
    })
    .optional(),
  /** Test-split indices of the fixed watch images. */
  watchSet: z.array(z.int().nonnegative()).optional(),
  /** How the model's input is fed: pixels scaled to [0, 1] NHWC during training. */
  preprocessing: z
    .object({
      scale: z.number(),
      mean: z.array(z.number()),
      std: z.array(z.number()),
      channelOrder: z.enum(['RGB', 'L']),
    })
    .optional(),
  /** Every config change a resume was allowed to make, oldest first. */
  configChanges: z.array(configChangeSchema).optional(),
  updatedAt: z.string().optional(),
});
export type RunManifest = z.output<typeof manifestSchema>;
export type ManifestPatch = Partial<z.input<typeof manifestSchema>>;

/** manifest.json exists but cannot be used: named, never silently replaced. */
export class ManifestError extends Error {}

/** The run's manifest; null only when there is none. Unreadable or malformed → ManifestError naming the file. */
export async function readManifest(dir: string): Promise<RunManifest | null> {
  const path = runPaths(dir).manifest;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ManifestError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(
      `${path} is not valid JSON (${(e as Error).message}); it was left as it is: repair it, or move it away to start that run's record anew`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new ManifestError(
      `${path} is malformed:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n  ')}`,
    );
  return parsed.data;
}

// Updates of one folder from this process run one after another: two stages patching at once must not
// both read the old manifest and have the second write drop the first one's fields.
const pending = new Map<string, Promise<unknown>>();

/**
 * Merges `patch` into manifest.json (stages are merged key by key) and writes it atomically. A manifest that
 * exists but cannot be read is an error and stays untouched: its config and stages are never replaced by blanks.
 */
export async function updateManifest(dir: string, patch: ManifestPatch): Promise<RunManifest> {
  const before = pending.get(dir) ?? Promise.resolve();
  const next = before
    .catch(() => undefined)
    .then(async () => {
      const base = (await readManifest(dir)) ?? manifestSchema.parse({ config: null });
      const merged = manifestSchema.parse({
        ...base,
        ...patch,
        stages: { ...base.stages, ...(patch.stages ?? {}) },
        updatedAt: new Date().toISOString(),
      });
      await writeFileAtomic(runPaths(dir).manifest, JSON.stringify(merged, null, 2));
      return merged;
    });
  pending.set(dir, next);
  try {
    return await next;
  } finally {
    if (pending.get(dir) === next) pending.delete(dir);
  }
}

/** One JSON object per line; appended, never rewritten except by resume's truncation. */
export async function appendJsonLine(path: string, record: unknown): Promise<void> {
  await appendFile(path, `${JSON.stringify(record)}\n`);
}
