/** `DIR/sweep.json`: the base, the axes and each variant's folder and status. Written only by the sweep runner. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Design } from './spec.js';

export const variantStatuses = ['pending', 'running', 'finished', 'failed', 'interrupted'] as const;
export type VariantStatus = (typeof variantStatuses)[number];

const axisSchema = z.object({
  name: z.string(),
  path: z.string(),
  values: z.array(z.object({ label: z.string(), value: z.unknown() })),
});

export const sweepStateSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  base: z.object({ source: z.string(), config: z.unknown() }),
  design: z.enum(['grid', 'one-at-a-time']),
  axes: z.array(axisSchema),
  variants: z.array(
    z.object({
      name: z.string(),
      /** Run folder, relative to the sweep folder. */
      folder: z.string(),
      /** Axis name → value label, in axis order. */
      settings: z.record(z.string(), z.string()),
      /** The full config this variant runs, relative to the sweep folder. */
      config: z.string(),
      status: z.enum(variantStatuses),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
      seconds: z.number().optional(),
      exitCode: z.number().nullable().optional(),
      /** Process id of the pipeline while it runs (a resumed sweep refuses to start a second writer). */
      pid: z.number().optional(),
      /** The pipeline's output, relative to the sweep folder. */
      log: z.string().optional(),
    }),
  ),
});
export type SweepState = z.output<typeof sweepStateSchema>;
export type VariantRecord = SweepState['variants'][number];
export type { Design };

export const sweepPaths = (dir: string) => ({
  state: join(dir, 'sweep.json'),
  index: join(dir, 'index.html'),
  configs: join(dir, 'configs'),
  logs: join(dir, 'logs'),
  plan: join(dir, 'plan'),
});

export async function readSweepState(dir: string): Promise<SweepState | null> {
  let text: string;
  try {
    text = await readFile(sweepPaths(dir).state, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const r = sweepStateSchema.safeParse(JSON.parse(text));
  if (!r.success)
    throw new Error(
      `${sweepPaths(dir).state} is not a sweep file this version reads:\n  ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`,
    );
  return r.data;
}

/** Atomic: a reader (the live view, a scheduler's compare-runs) never sees half a file. */
export async function writeSweepState(dir: string, state: SweepState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = sweepPaths(dir).state;
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  await rename(tmp, path);
}
