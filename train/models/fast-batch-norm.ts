/**
 * Keras BatchNormalization whose training step runs the fused native kernels when they are active
 * (train/backend/native/batchnorm-kernels.ts) and is the stock layer everywhere else: inference, other
 * backends, axis ≠ last, no gamma/beta. Same className and config, so saved models, checkpoints and the
 * ONNX exporter see a plain BatchNormalization; loading a model also gets this class (registered below).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormKernelsReady, batchNormTraining } from '../backend/native/batchnorm-kernels.js';

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;
type CallArgs = Parameters<tf.layers.Layer['call']>;
type LayerClass = (new (
  args: BatchNormArgs,
) => tf.layers.Layer) &
  tf.serialization.SerializableConstructor<tf.layers.Layer>;

const StockBatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({ name: 'actprobe_probe_bn' }))
  .constructor as LayerClass;

interface Variable {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/** The stock layer's private state (tfjs-layers keeps these as plain fields). */
interface BatchNormState {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: Variable | null;
  beta: Variable | null;
  movingMean: Variable;
  movingVariance: Variable;
}

export class FastBatchNormalization extends StockBatchNormalization {
  static override className = StockBatchNormalization.className;

  override call(inputs: CallArgs[0], kwargs: CallArgs[1]): tf.Tensor | tf.Tensor[] {
    const s = this as unknown as BatchNormState;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = s.axis === -1 || s.axis === x.rank - 1;
    const gamma = s.gamma;
    const beta = s.beta;
    if (
      kwargs.training !== true ||
      !lastAxis ||
      gamma === null ||
      beta === null ||
      x.dtype !== 'float32' ||
      !batchNormKernelsReady()
    ) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTraining(x, gamma.read(), beta.read(), s.epsilon);
      // The stock layer's moving averages: v ← v − (v − batch)·(1 − momentum).
      for (const [v, batch] of [
        [s.movingMean, mean],
        [s.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const old = v.read();
          v.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - s.momentum)));
        });
      }
      return y;
    });
  }
}

// SerializationMap.register (not registerClass, which would rename it "Custom>BatchNormalization" in saved JSON).
tf.serialization.SerializationMap.register(FastBatchNormalization);

export function batchNormalization(args: BatchNormArgs): tf.layers.Layer {
  return new FastBatchNormalization(args);
}
