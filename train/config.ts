import { z } from 'zod';
import { dataSpecSchema } from '../data/index.js';
import { modelSpecSchema } from './models/index.js';
import { parseConfigWith } from './config-suggest.js';

// Every object below is strict: a misspelt field ("minEpochs", "widht", a schedule point's "momentum") is an
// error naming the field it is closest to, never a silently ignored default.
export const schedulePointSchema = z.strictObject({
  /** First mini-epoch (0-based) this point applies to. */
  from: z.number().int().nonnegative(),
  lr: z.number().positive(),
  batchSize: z.number().int().positive(),
});
export type SchedulePoint = z.infer<typeof schedulePointSchema>;

export const optimizerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('adam'),
    beta1: z.number().default(0.9),
    beta2: z.number().default(0.999),
    epsilon: z.number().default(1e-7),
  }),
  z.strictObject({ kind: z.literal('sgd'), momentum: z.number().min(0).max(1).default(0.9) }),
]);
export type OptimizerSpec = z.infer<typeof optimizerSchema>;

export const trainConfigSchema = z.strictObject({
  data: dataSpecSchema.prefault({ name: 'synthetic' }),
  model: modelSpecSchema.prefault({ preset: 'seednet', width: 0.25 }),
  optimizer: optimizerSchema.prefault({ kind: 'adam' }),
  /** Sorted by `from`; the first point must start at 0. */
  schedule: z
    .array(schedulePointSchema)
    .min(1)
    .default([{ from: 0, lr: 1e-3, batchSize: 64 }])
    // Guarded: zod runs refinements even after min(1) failed, and `[]` must be refused by name, not by a TypeError.
    .refine((s) => s.length === 0 || s[0].from === 0, { message: 'the first schedule point must have from: 0' })
    .refine((s) => s.every((p, i) => i === 0 || p.from > s[i - 1].from), {
      message: 'schedule points must have increasing from',
    }),
  /** A mini-epoch is this many training images; checkpoint, evaluation and probe happen after each. */
  miniEpochImages: z.number().int().positive().default(20000),
  miniEpochs: z.number().int().positive().default(5),
  /** Test images evaluated after each mini-epoch (0 = the whole test split). */
  evalImages: z.number().int().nonnegative().default(0),
  augment: z
    .strictObject({ cropPadding: z.number().int().nonnegative().default(0), flip: z.boolean().default(false) })
    .prefault({}),
  /** Size of the fixed set of test images whose activations are tracked across the run. */
  watchImages: z.number().int().positive().default(8),
  seed: z.number().int().default(1234),
});
export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/**
 * Checks between fields that one field's schema cannot see. Kept out of the schema so `trainConfigSchema`
 * stays a plain object that the pipeline (and sweeps) can `.extend()`; every parse function calls this.
 */
export function crossFieldProblems(config: Pick<TrainConfig, 'schedule' | 'miniEpochs'>): string[] {
  return config.schedule.flatMap((p, i) =>
    p.from >= config.miniEpochs
      ? [
          `schedule.${i}.from: ${p.from} is beyond the run (miniEpochs ${config.miniEpochs}, so mini-epochs 0–${config.miniEpochs - 1}); this point would never apply: lower "from" or raise "miniEpochs"`,
        ]
      : [],
  );
}

/** Parses with `schema` and the cross-field checks; every problem is listed with its field path. */
export function parseRunConfig<S extends z.ZodType<Pick<TrainConfig, 'schedule' | 'miniEpochs'>>>(
  schema: S,
  raw: unknown,
  source: string,
): z.output<S> {
  const config = parseConfigWith(schema, raw, source);
  const problems = crossFieldProblems(config);
  if (problems.length > 0) throw new Error(`${source} is invalid:\n  ${problems.join('\n  ')}`);
  return config;
}

/** Validates a config object; every problem is listed with its field path (and the field meant, if misspelt). */
export function parseTrainConfig(raw: unknown, source = 'config'): TrainConfig {
  return parseRunConfig(trainConfigSchema, raw, source);
}
