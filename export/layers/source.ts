import type * as tf from '@tensorflow/tfjs';
import type { HostArray } from '../layout.js';
import { parseKerasTopology } from './topology.js';
import type { KerasShape, KerasTopology } from './topology.js';

/**
 * What the layers converter reads from a model: its validated topology, each layer's weights on the host
 * (keyed by Keras weight name: kernel, bias, gamma, moving_mean, …) and the Keras output shape of each
 * layer application (tfjs already inferred them; recomputing would be a second, drifting implementation).
 */
export interface LayersSource {
  topology: KerasTopology;
  weights(layer: string): Map<string, HostArray>;
  outputShape(layer: string, node: number): KerasShape;
}

export function layersSourceFromModel(model: tf.LayersModel): LayersSource {
  const topology = parseKerasTopology(model.toJSON(null, false), `model ${model.name}`);
  return {
    topology,
    weights(layerName) {
      const out = new Map<string, HostArray>();
      for (const v of model.getLayer(layerName).weights) {
        if (v.dtype !== 'float32')
          throw new Error(
            `layer ${layerName}: weight ${v.originalName} is ${v.dtype}; only float32 weights can be exported`,
          );
        const key = v.originalName.slice(v.originalName.lastIndexOf('/') + 1);
        // No copy: weights can be hundreds of MB, tfjs never writes a variable's array in place (assign swaps it),
        // and emitters only read them.
        out.set(key, { shape: v.shape.map((d) => d ?? 0), values: v.read().dataSync() as Float32Array });
      }
      return out;
    },
    outputShape(layerName, node) {
      const inbound = model.getLayer(layerName).inboundNodes[node];
      if (!inbound) throw new Error(`layer ${layerName}: has no application #${node} in the live model`);
      const shapes = inbound.outputShapes;
      const first = shapes[0];
      if (Array.isArray(first)) {
        if (shapes.length !== 1)
          throw new Error(
            `layer ${layerName}: has ${shapes.length} outputs; only single-output layers can be exported`,
          );
        return [...(first as KerasShape)];
      }
      return [...(shapes as KerasShape)];
    },
  };
}
