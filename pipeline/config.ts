import { z } from 'zod';
import { parseRunConfig, trainConfigSchema } from '../train/config.js';

/** Pipeline config = the training config plus what the later stages need; every field has a default. */
export const pipelineConfigSchema = trainConfigSchema.extend({
  probe: z
    .strictObject({
      /** Test images probed after each mini-epoch (the watch images first). */
      images: z.number().int().positive().default(256),
      batchSize: z.number().int().positive().default(64),
      ep: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
    })
    .prefault({}),
  /**
   * Built-in reference card (or card JSON path) to compare the final model with, used when its model is available;
   * otherwise bvlcalexnet-12 when cached, else the shipped squeezenet1.1 (pipeline/stages/reference-choice.ts).
   * null turns the comparison off.
   */
  reference: z.string().nullable().default('bvlcalexnet-12'),
  /** Images for the layer-by-layer parity proof of the final export (random + real). */
  parityImages: z.number().int().positive().default(16),
});
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

export function parsePipelineConfig(raw: unknown, source: string): PipelineConfig {
  return parseRunConfig(pipelineConfigSchema, raw, source);
}
