/**
 * Model cards: what a probe must know about a model it did not make — file, input name and size, channel
 * order and normalisation, output kind. `mean`/`std` are in the model's channel order and in the units after
 * `scale` (pixels in [0,1] are multiplied by `scale`, then (x − mean) / std).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from '../../train/config-suggest.js';

export const cardSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  /** True only for real trained weights; random-weight stand-ins are false and carry a `label`. */
  pretrained: z.boolean(),
  label: z.string().optional(),
  file: z.string().optional(),
  url: z.url().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  bytes: z.int().positive().optional(),
  /** How to obtain the file when there is no URL (e.g. an export command). */
  obtain: z.string().optional(),
  /** File under the project's assets/reference/ folder: the model ships with the project (sha256 checked on load). */
  shipped: z.string().optional(),
  /** Class names, one a line, in output order: a file under assets/reference/ (read into `labels` on load). */
  labelsFile: z.string().optional(),
  /** Whether the network normalises its activations (batch norm); decides what a magnitude comparison may conclude. */
  batchNorm: z.boolean().optional(),
  input: z.strictObject({
    name: z.string().min(1),
    layout: z.literal('NCHW').default('NCHW'),
    height: z.int().positive(),
    width: z.int().positive(),
    channels: z.union([z.literal(1), z.literal(3)]),
    channelOrder: z.enum(['RGB', 'BGR', 'gray']),
    scale: z.number().positive(),
    mean: z.array(z.number()),
    std: z.array(z.number().positive()),
    /**
     * Absent: the image is squashed to height × width. `shorterSide`: an aspect-preserving resize of the shorter
     * side to that many pixels, then a centre crop of height × width (the ImageNet convention: 256 then 224).
     */
    crop: z.strictObject({ shorterSide: z.int().positive() }).optional(),
  }),
  output: z.strictObject({ name: z.string().min(1), kind: z.enum(['probabilities', 'logits']) }),
  classes: z.int().positive(),
  labels: z.array(z.string()).optional(),
});

export type ModelCard = z.output<typeof cardSchema>;
export type ModelCardInput = z.input<typeof cardSchema>;

export function parseCard(raw: unknown, source: string): ModelCard {
  const r = cardSchema.safeParse(raw);
  if (!r.success)
    throw new Error(`Model card ${source} is invalid:\n  ${describeIssues(cardSchema, r.error, raw).join('\n  ')}`);
  const c = r.data;
  for (const field of ['mean', 'std'] as const) {
    if (c.input[field].length !== c.input.channels) {
      throw new Error(
        `Model card ${source}: input.${field} has ${c.input[field].length} values but input.channels is ${c.input.channels}; give one per channel in the model's channel order.`,
      );
    }
  }
  return c;
}

export async function readCardFile(path: string): Promise<ModelCard> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read model card ${path}: ${(err as Error).message}`);
  }
  return parseCard(raw, path);
}
