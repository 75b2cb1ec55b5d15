/**
 * Reads the training side's `RUN/metrics.jsonl`: one line per mini-epoch
 * `{ miniEpoch, trainLoss, testAccuracy, lr, batchSize, layers: [{ layer, gradNorm, weightNorm, updateRatio }] }`
 * (more fields allowed), and `{ event: 'non-finite', … }` lines when NaN/Inf stopped the run.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const miniEpochLineSchema = z.looseObject({
  miniEpoch: z.int().nonnegative(),
  trainLoss: z.number(),
  testAccuracy: z.number(),
  lr: z.number(),
  batchSize: z.int().positive(),
  layers: z
    .array(z.looseObject({ layer: z.string(), gradNorm: z.number(), weightNorm: z.number(), updateRatio: z.number() }))
    .default([]),
});

export const nonFiniteLineSchema = z.looseObject({
  event: z.literal('non-finite'),
  miniEpoch: z.int().nonnegative(),
  step: z.int().nonnegative().optional(),
  where: z.string().optional(),
  variable: z.string().nullable().optional(),
  message: z.string().optional(),
});

export type MiniEpochLine = z.infer<typeof miniEpochLineSchema>;
export type NonFiniteLine = z.infer<typeof nonFiniteLineSchema>;

export interface TrainingHistory {
  epochs: MiniEpochLine[];
  nonFinite: NonFiniteLine[];
}

export function parseMetricsJsonl(text: string, source = 'metrics.jsonl'): TrainingHistory {
  const out: TrainingHistory = { epochs: [], nonFinite: [] };
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error(`${source} line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
    const isEvent = typeof raw === 'object' && raw !== null && 'event' in raw;
    const r = isEvent ? nonFiniteLineSchema.safeParse(raw) : miniEpochLineSchema.safeParse(raw);
    if (!r.success) throw new Error(`${source} line ${i + 1} is not a metrics line:\n${z.prettifyError(r.error)}`);
    if (isEvent) out.nonFinite.push(r.data as NonFiniteLine);
    else out.epochs.push(r.data as MiniEpochLine);
  });
  out.epochs.sort((a, b) => a.miniEpoch - b.miniEpoch);
  return out;
}

export async function readMetrics(path: string): Promise<TrainingHistory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read training metrics ${path}: ${(err as Error).message}`);
  }
  return parseMetricsJsonl(text, path);
}
