import { toOnnxLayout } from '../layout.js';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { KerasShape } from '../layers/topology.js';
import type { GraphNode } from './schema.js';

/** A Const node's data on the host (int32 consts carry shapes and axes). */
export interface ConstValue {
  shape: number[];
  data: Float32Array | Int32Array;
}

/** An operand: a runtime tensor in the ONNX graph (rank-4 values stored NCHW) or a Const not yet written. */
export type Operand =
  | { kind: 'value'; value: string; shape: KerasShape }
  | { kind: 'const'; name: string; constant: ConstValue };

export interface OpContext {
  node: GraphNode;
  graph: GraphBuilder;
  /** TF shape of this node's output 0 as tfjs computed it, batch as null. */
  outputShape: KerasShape;
  operand(i: number): Operand;
  /** Operand i as a runtime ONNX value; a Const becomes an initializer in TF layout. */
  value(i: number): string;
  /** Operand i's data; an error naming the node when it is computed at run time. */
  constant(i: number): ConstValue;
  /** Operand i's TF shape. */
  shape(i: number): KerasShape;
}

export type OpHandler = (ctx: OpContext) => string;

export function opError(ctx: OpContext, what: string): Error {
  return new Error(`graph node ${ctx.node.name} (${ctx.node.op}): ${what}`);
}

export function floats(c: ConstValue): Float32Array {
  return c.data instanceof Float32Array ? c.data : new Float32Array(c.data);
}

/**
 * A constant operand combined with a rank-4 tensor: TF broadcasts it against NHWC from the right, so it is
 * padded to rank 4 and moved to NCHW like an activation ([C] → [1, C, 1, 1]); other ranks broadcast unchanged.
 */
export function broadcastConst(ctx: OpContext, name: string, c: ConstValue, otherRank: number): string {
  const values = floats(c);
  if (otherRank !== 4 || c.shape.length === 0) return ctx.graph.floats(`${name}/const`, c.shape, values);
  if (c.shape.length > 4)
    throw opError(ctx, `a rank-${c.shape.length} constant cannot broadcast against a rank-4 tensor`);
  const padded = [...new Array<number>(4 - c.shape.length).fill(1), ...c.shape];
  const nchw = toOnnxLayout('activation', values, padded);
  return ctx.graph.floats(`${name}/const`, nchw.shape, nchw.values);
}

/** Both operands of a binary op as ONNX values whose NCHW broadcast matches TF's NHWC one. */
export function binaryOperands(ctx: OpContext): [string, string] {
  const a = ctx.operand(0);
  const b = ctx.operand(1);
  if (a.kind === 'const' && b.kind === 'const')
    throw opError(ctx, 'both operands are constants; fold them before export');
  const rank = Math.max(...[a, b].map((o) => (o.kind === 'value' ? o.shape.length : 0)));
  const resolve = (o: Operand, i: number): string => {
    if (o.kind === 'const') return broadcastConst(ctx, `${ctx.node.name}/${i}`, o.constant, rank);
    if (rank === 4 && o.shape.length !== 4 && o.shape.length !== 0) {
      throw opError(
        ctx,
        `operands of rank 4 and ${o.shape.length} (shape [${o.shape.join(', ')}]); reshape to rank 4 first (as an SE block does)`,
      );
    }
    return o.value;
  };
  return [resolve(a, 0), resolve(b, 1)];
}
