import { z } from 'zod';
import { foldBinary, mergeInputs } from './merge.js';
import { defineEmitter } from './types.js';

/**
 * Multiply: the SE gate [N, 1, 1, C] is [N, C, 1, 1] in NCHW, which numpy-broadcasts against [N, C, H, W]
 * exactly as Keras' NHWC operands do.
 */
export const multiply = defineEmitter('Multiply', z.object({}), (ctx) =>
  foldBinary(
    ctx,
    'Mul',
    mergeInputs(ctx).map((t) => t.value),
  ),
);
