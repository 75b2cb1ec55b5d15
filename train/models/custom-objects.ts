import * as tf from '@tensorflow/tfjs';

/**
 * Custom Keras-style layers the presets need. They are registered with tfjs serialization so a
 * checkpoint's model.json (which names them by class) loads back in any process that imports this file.
 */

/**
 * Local response normalization (AlexNet 2012) as a layer; tfjs-layers has none. Keeps the op's own
 * arguments so the ONNX exporter can map it 1:1 (ONNX LRN uses size = 2*radius+1 and alpha/size).
 */
export class LocalResponseNormalization extends tf.layers.Layer {
  static className = 'LocalResponseNormalization';
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;

  constructor(args: { depthRadius?: number; bias?: number; alpha?: number; beta?: number; name?: string } = {}) {
    super({ name: args.name });
    this.depthRadius = args.depthRadius ?? 2;
    this.bias = args.bias ?? 2;
    this.alpha = args.alpha ?? 1e-4;
    this.beta = args.beta ?? 0.75;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.localResponseNormalization(x as tf.Tensor4D, this.depthRadius, this.bias, this.alpha, this.beta);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      depthRadius: this.depthRadius,
      bias: this.bias,
      alpha: this.alpha,
      beta: this.beta,
    };
  }
}

let registered = false;
export function registerCustomObjects(): void {
  if (registered) return;
  registered = true;
  tf.serialization.registerClass(LocalResponseNormalization);
}
registerCustomObjects();
