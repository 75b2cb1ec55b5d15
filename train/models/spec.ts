import { z } from 'zod';

/** Shape of the data a model is built for; comes from the data source, never from the user. */
export interface InputSpec {
  height: number;
  width: number;
  channels: number;
  classes: number;
}

export const activationSchema = z.enum(['relu', 'elu', 'sigmoid']);
export type ActivationName = z.infer<typeof activationSchema>;

export const seSchema = z.strictObject({
  /** Squeeze width = channels / ratio. */
  ratio: z.number().int().positive().default(8),
  /** Weight of the "near 1" penalty mean((1 - gate)^2) on the sigmoid gates; 0 = off. */
  nearOneWeight: z.number().nonnegative().default(0),
  /** When set, the squeeze dense kernel starts at ones + N(0, scale) (the seed's "1-plus" initializer). */
  onePlusScale: z.number().positive().optional(),
});
export type SeOptions = z.infer<typeof seSchema>;

const width = z.number().positive().max(8).default(1);

// Strict, like every config object: a misspelt option ("widht", "stemkernel") is refused, not defaulted.
export const modelSpecSchema = z.discriminatedUnion('preset', [
  z.strictObject({ preset: z.literal('tiny'), width }),
  z.strictObject({ preset: z.literal('model-m'), width }),
  z.strictObject({
    preset: z.literal('seednet'),
    width,
    batchNorm: z.boolean().default(true),
    activation: activationSchema.default('relu'),
    se: seSchema.nullable().default({ ratio: 8, nearOneWeight: 0 }),
    dropout: z.number().min(0).max(0.9).default(0.3),
    fcUnits: z.tuple([z.number().int().positive(), z.number().int().positive()]).default([256, 128]),
    stemStride: z.number().int().positive().default(1),
  }),
  z.strictObject({
    preset: z.literal('alexnet'),
    width,
    lrn: z.boolean().default(false),
    dropout: z.number().min(0).max(0.9).default(0.5),
    stemKernel: z.number().int().positive().default(11),
    stemStride: z.number().int().positive().default(4),
  }),
  z.strictObject({
    preset: z.literal('resnet-mini'),
    width,
    stages: z.number().int().min(1).max(4).default(3),
  }),
]);
export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
export type PresetName = ModelSpec['preset'];

/** A penalty on a layer's output that the trainer adds to the loss (tfjs-layers has no activity regularizers). */
export interface ActivityPenalty {
  layer: string;
  kind: 'near-one';
  weight: number;
}

export interface BuiltModel {
  model: import('@tensorflow/tfjs').LayersModel;
  penalties: ActivityPenalty[];
}

/** Scales a channel count by the width multiplier, never below 1. */
export function scaled(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}
