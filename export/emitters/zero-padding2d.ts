import { z } from 'zod';
import { channelsLast } from './config.js';
import { defineEmitter, only, requireRank } from './types.js';

const size = z.number().int().nonnegative();
const schema = z.object({
  // 1 | [h, w] | [[top, bottom], [left, right]], as Keras accepts it.
  padding: z.union([size, z.tuple([size, size]), z.tuple([z.tuple([size, size]), z.tuple([size, size])])]).default(1),
  data_format: channelsLast,
});

type Pair = [number, number];
const isPairOfPairs = (p: Pair | [Pair, Pair]): p is [Pair, Pair] => Array.isArray(p[0]);

/** ZeroPadding2D → Pad (constant 0) on the NCHW spatial axes; ONNX pads list all begins, then all ends. */
export const zeroPadding2d = defineEmitter('ZeroPadding2D', schema, (ctx, c) => {
  const x = only(ctx);
  requireRank(ctx, x, [4]);
  const p = c.padding;
  const [[top, bottom], [left, right]] =
    typeof p === 'number'
      ? [
          [p, p],
          [p, p],
        ]
      : isPairOfPairs(p)
        ? p
        : [
            [p[0], p[0]],
            [p[1], p[1]],
          ];
  const pads = ctx.graph.int64s(`${ctx.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  return ctx.graph.node('Pad', ctx.name, [x.value, pads]);
});
