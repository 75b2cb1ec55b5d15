import { z } from 'zod';
import { attr } from '../../onnx/spec.js';
import type { OnnxAttribute } from '../../onnx/spec.js';
import { padAttributes } from '../padding.js';
import { channelsLast, padding, pair } from './config.js';
import { defineEmitter, only, requireRank } from './types.js';
import type { Emitter } from './types.js';

const schema = z.object({
  pool_size: pair.default([2, 2]),
  strides: pair.nullable().default(null),
  padding: padding.default('valid'),
  data_format: channelsLast,
});

/**
 * Max/AveragePooling2D share everything but the op. TF's 'same' pooling ignores the padded cells: MaxPool
 * never picks a pad, and AveragePool must not count pads (count_include_pad = 0).
 */
export function poolingEmitter(className: string, opType: 'MaxPool' | 'AveragePool'): Emitter {
  return defineEmitter(className, schema, (ctx, c) => {
    const x = only(ctx);
    requireRank(ctx, x, [4]);
    const strides = c.strides ?? c.pool_size;
    const extra: Record<string, OnnxAttribute> = opType === 'AveragePool' ? { count_include_pad: attr.int(0) } : {};
    return ctx.graph.node(opType, ctx.name, [x.value], {
      kernel_shape: attr.ints(c.pool_size),
      strides: attr.ints(strides),
      ...padAttributes(c.padding, [x.shape[1], x.shape[2]], c.pool_size, strides),
      ...extra,
    });
  });
}
