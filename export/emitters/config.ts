import { z } from 'zod';

/** Config pieces shared by several Keras classes (snake_case, as model.json spells them). */

/** Keras accepts `3` or `[3, 3]` for sizes; the emitters always see a pair. */
export const pair = z
  .union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])])
  .transform((v): [number, number] => (typeof v === 'number' ? [v, v] : v));

/** ONNX graphs are NCHW by construction; a channels_first Keras layer would need its own layout path. */
export const channelsLast = z
  .literal('channels_last', { message: 'only channels_last is supported' })
  .default('channels_last');

export const padding = z.enum(['same', 'valid'], {
  message: "padding must be 'same' or 'valid' ('causal' is 1-D only)",
});

const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
] as const;

/** tfjs writes activations by class name (hardSigmoid); Python Keras' snake_case spelling is accepted too. */
export const activationName = z.preprocess(
  (v) => (v === 'hard_sigmoid' ? 'hardSigmoid' : v),
  z.enum(ACTIVATIONS, { message: `activation must be one of ${ACTIVATIONS.join(', ')}` }),
);
export type ActivationName = z.infer<typeof activationName>;
