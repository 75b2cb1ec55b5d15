import * as tf from '@tensorflow/tfjs';
import type { ConstValue } from './context.js';
import type { GraphNode } from './schema.js';

/** What the graph converter reads: nodes, Const data, and each node's output shape as tfjs computed it. */
export interface GraphSource {
  name: string;
  nodes: GraphNode[];
  constants: Map<string, ConstValue>;
  /** Output-0 shape of every non-Const node for a batch of 1. */
  shapes: Map<string, number[]>;
  inputName: string;
  outputName: string;
}

const strip = (t: string): string => t.replace(/:0$/, '');

/**
 * Runs the model once on zeros with every node as an output to learn all shapes (TF graphs carry few), which is
 * cheaper and more faithful than a second shape-inference implementation.
 */
export function graphSourceFromModel(model: tf.GraphModel, nodes: GraphNode[], name: string): GraphSource {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new Error(
      `graph model ${name}: has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the exporter needs exactly one of each`,
    );
  const input = model.inputs[0];
  const shape = input.shape ?? [];
  if (shape.length !== 4 || shape.slice(1).some((d) => d < 0))
    throw new Error(
      `graph model ${name}: input ${input.name} has shape [${shape.join(', ')}]; the exporter needs [batch, height, width, channels] with fixed height, width and channels`,
    );
  const constants = new Map<string, ConstValue>();
  for (const [k, tensors] of Object.entries(model.weights)) {
    const t = tensors[0];
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new Error(
        `graph model ${name}: constant ${k} is ${t.dtype}; only float32 and int32 constants are supported`,
      );
    constants.set(k, {
      shape: [...t.shape],
      data:
        t.dtype === 'float32'
          ? new Float32Array(t.dataSync() as Float32Array)
          : new Int32Array(t.dataSync() as Int32Array),
    });
  }
  const inputName = strip(input.name);
  const computed = nodes.filter((n) => n.op !== 'Const' && n.name !== inputName).map((n) => n.name);
  const x = tf.zeros([1, ...shape.slice(1)]);
  const outs = model.execute({ [input.name]: x }, computed);
  const list = Array.isArray(outs) ? outs : [outs];
  const shapes = new Map<string, number[]>([[inputName, [1, ...shape.slice(1)]]]);
  computed.forEach((n, i) => shapes.set(n, [...list[i].shape]));
  tf.dispose([x, ...list]);
  return { name, nodes, constants, shapes, inputName, outputName: strip(model.outputs[0].name) };
}
