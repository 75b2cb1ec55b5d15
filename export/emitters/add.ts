import { z } from 'zod';
import { foldBinary, mergeInputs } from './merge.js';
import { defineEmitter } from './types.js';

/** Add (residual connections): Add, folded for more than two inputs. */
export const add = defineEmitter('Add', z.object({}), (ctx) =>
  foldBinary(
    ctx,
    'Add',
    mergeInputs(ctx).map((t) => t.value),
  ),
);
