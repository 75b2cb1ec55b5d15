import { z } from 'zod';
import { attr } from '../../onnx/spec.js';
import { channelsLast } from './config.js';
import { defineEmitter, only, requireRank } from './types.js';
import type { Emitter } from './types.js';

const schema = z.object({ data_format: channelsLast, keepdims: z.boolean().default(false) });

/**
 * Global pooling as one Reduce node over H, W (NCHW axes 2, 3): [N, C] directly, as Keras returns it,
 * instead of GlobalAveragePool + Flatten (two nodes for one layer).
 */
export function globalPoolingEmitter(className: string, opType: 'ReduceMean' | 'ReduceMax'): Emitter {
  return defineEmitter(className, schema, (ctx, c) => {
    const x = only(ctx);
    requireRank(ctx, x, [4]);
    return ctx.graph.node(opType, ctx.name, [x.value], {
      axes: attr.ints([2, 3]),
      keepdims: attr.int(c.keepdims ? 1 : 0),
    });
  });
}
