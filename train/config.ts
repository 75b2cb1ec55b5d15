import { z } from 'zod';
import { dataSpecSchema } from './data/index.js';
import { modelSpecSchema } from './models/index.js';

export const schedulePointSchema = z.object({
  /** First mini-epoch (0-based) this point applies to. */
  from: z.number().int().nonnegative(),
  lr: z.number().positive(),
  batchSize: z.number().int().positive(),
});
export type SchedulePoint = z.infer<typeof schedulePointSchema>;

export const optimizerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('adam'), beta1: z.number().default(0.9), beta2: z.number().default(0.999), epsilon: z.number().default(1e-7) }),
  z.object({ kind: z.literal('sgd'), momentum: z.number().min(0).max(1).default(0.9) }),
]);
export type OptimizerSpec = z.infer<typeof optimizerSchema>;

// Strict: a misspelt field ("minEpochs") is an error, not a silently ignored default.
export const trainConfigSchema = z.strictObject({
  data: dataSpecSchema.prefault({ name: 'synthetic' }),
  model: modelSpecSchema.prefault({ preset: 'seednet', width: 0.25 }),
  optimizer: optimizerSchema.prefault({ kind: 'adam' }),
  /** Sorted by `from`; the first point must start at 0. */
  schedule: z
    .array(schedulePointSchema)
    .min(1)
    .default([{ from: 0, lr: 1e-3, batchSize: 64 }])
    .refine((s) => s[0].from === 0, { message: 'the first schedule point must have from: 0' })
    .refine((s) => s.every((p, i) => i === 0 || p.from > s[i - 1].from), { message: 'schedule points must have increasing from' }),
  /** A mini-epoch is this many training images; checkpoint, evaluation and probe happen after each. */
  miniEpochImages: z.number().int().positive().default(20000),
  miniEpochs: z.number().int().positive().default(5),
  /** Test images evaluated after each mini-epoch (0 = the whole test split). */
  evalImages: z.number().int().nonnegative().default(0),
  augment: z.object({ cropPadding: z.number().int().nonnegative().default(0), flip: z.boolean().default(false) }).prefault({}),
  /** Size of the fixed set of test images whose activations are tracked across the run. */
  watchImages: z.number().int().positive().default(8),
  seed: z.number().int().default(1234),
});
export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/** Validates a config object; every problem is listed with its field path. */
export function parseTrainConfig(raw: unknown, source = 'config'): TrainConfig {
  const result = trainConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n  ');
    throw new Error(`${source} is invalid:\n  ${issues}`);
  }
  return result.data;
}
