import * as tf from '@tensorflow/tfjs';
import type { HostArray } from '../layout.js';
import { layerKey } from '../layers/convert-layers.js';
import type { LayerOutput } from '../layers/convert-layers.js';
import type { ParityInput } from './inputs.js';

/** The tfjs side of the parity check: every converted layer's output for one NHWC batch, in Keras order. */
export interface ReferenceRunner {
  backend: string;
  run(input: ParityInput): Map<string, HostArray>;
}

function readAll(keys: string[], tensors: tf.Tensor[]): Map<string, HostArray> {
  const out = new Map<string, HostArray>();
  // Read outside tf.tidy: tidy scanning a returned typed array is very slow (docs/DESIGN.md, Measurements).
  keys.forEach((k, i) =>
    out.set(k, { shape: [...tensors[i].shape], values: new Float32Array(tensors[i].dataSync() as Float32Array) }),
  );
  tf.dispose(tensors);
  return out;
}

/** A multi-output tf.model over the same layers: one predict yields every intermediate output. */
export function layersReference(model: tf.LayersModel, layers: LayerOutput[]): ReferenceRunner {
  const outputs = layers.map((l) => {
    const o = model.getLayer(l.layer).getOutputAt(l.node);
    if (Array.isArray(o))
      throw new Error(`layer ${l.layer}: has several outputs; parity compares single-output layers`);
    return o;
  });
  const probe = tf.model({ inputs: model.inputs, outputs });
  const keys = layers.map(layerKey);
  return {
    backend: tf.getBackend(),
    run(input) {
      const x = tf.tensor4d(input.nhwc, input.shape);
      const y = probe.predict(x);
      x.dispose();
      return readAll(keys, Array.isArray(y) ? y : [y]);
    },
  };
}

/** A graph model executed with every converted node as an output. */
export function graphReference(model: tf.GraphModel, inputName: string, layers: LayerOutput[]): ReferenceRunner {
  const keys = layers.map(layerKey);
  return {
    backend: tf.getBackend(),
    run(input) {
      const x = tf.tensor4d(input.nhwc, input.shape);
      const y = model.execute(
        { [inputName]: x },
        layers.map((l) => l.layer),
      );
      x.dispose();
      return readAll(keys, Array.isArray(y) ? y : [y]);
    },
  };
}
