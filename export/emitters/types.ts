import type { z } from 'zod';
import type { HostArray } from '../layout.js';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { KerasShape } from '../layers/topology.js';

/** A Keras tensor inside the ONNX graph: its value name and its Keras shape (rank-4 values are stored NCHW). */
export interface KTensor {
  value: string;
  shape: KerasShape;
}

export interface EmitContext {
  /** Keras layer name: the main node's name; sub-nodes are `name/relu`, `name/transpose`, … */
  name: string;
  className: string;
  inputs: KTensor[];
  outputShape: KerasShape;
  graph: GraphBuilder;
  /** A weight by its Keras name; a missing one is an error naming the layer and the weights it does have. */
  weight(key: string): HostArray;
}

/** Emits the ONNX nodes of one Keras layer class; returns the value holding the layer's output. */
export interface Emitter {
  className: string;
  emit(ctx: EmitContext, rawConfig: Record<string, unknown>): string;
}

/**
 * Binds a config schema to an emitter so each emitter sees its config typed; a config the schema rejects
 * is reported with the layer, its class and the offending field.
 */
export function defineEmitter<S extends z.ZodType>(
  className: string,
  schema: S,
  emit: (ctx: EmitContext, config: z.infer<S>) => string,
): Emitter {
  return {
    className,
    emit(ctx, rawConfig) {
      const parsed = schema.safeParse(rawConfig);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `config.${i.path.join('.')}: ${i.message}`).join('; ');
        throw new Error(`layer ${ctx.name} (${className}): unsupported config: ${detail}`);
      }
      return emit(ctx, parsed.data);
    },
  };
}

/** The single input of a one-input layer. */
export function only(ctx: EmitContext): KTensor {
  if (ctx.inputs.length !== 1)
    throw new Error(`layer ${ctx.name} (${ctx.className}): expected 1 input, got ${ctx.inputs.length}`);
  return ctx.inputs[0];
}

export function requireRank(ctx: EmitContext, t: KTensor, ranks: number[]): number {
  if (!ranks.includes(t.shape.length)) {
    throw new Error(
      `layer ${ctx.name} (${ctx.className}): input of rank ${t.shape.length} (shape [${t.shape.join(', ')}]) is not supported; accepted ranks: ${ranks.join(', ')}`,
    );
  }
  return t.shape.length;
}
