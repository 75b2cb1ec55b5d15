import { attr } from '../../onnx/spec.js';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { ActivationName } from './config.js';

/**
 * One Keras activation function as ONNX nodes named `nodeName` (`conv1/relu` when fused into a layer,
 * the layer's own name for an Activation layer). Returns the output value; 'linear' adds nothing.
 * Softmax works on the last Keras axis, which is ONNX axis 1 for NCHW tensors.
 */
export function emitActivation(
  g: GraphBuilder,
  nodeName: string,
  input: string,
  activation: ActivationName,
  rank: number,
): string {
  switch (activation) {
    case 'linear':
      return input;
    case 'relu':
      return g.node('Relu', nodeName, [input]);
    case 'relu6':
      return emitClip(g, nodeName, input, 0, 6);
    case 'elu':
      return g.node('Elu', nodeName, [input], { alpha: attr.float(1) });
    case 'selu':
      // ONNX's default alpha/gamma are the float32 roundings of the constants tfjs uses.
      return g.node('Selu', nodeName, [input]);
    case 'sigmoid':
      return g.node('Sigmoid', nodeName, [input]);
    case 'hardSigmoid':
      // tfjs: clip(0.2·x + 0.5, 0, 1), which is ONNX HardSigmoid with these coefficients (not its 1/6 default).
      return g.node('HardSigmoid', nodeName, [input], { alpha: attr.float(0.2), beta: attr.float(0.5) });
    case 'tanh':
      return g.node('Tanh', nodeName, [input]);
    case 'softmax':
      return g.node('Softmax', nodeName, [input], { axis: attr.int(rank === 4 ? 1 : -1) });
    case 'softplus':
      return g.node('Softplus', nodeName, [input]);
    case 'softsign':
      return g.node('Softsign', nodeName, [input]);
    case 'swish': {
      const gate = g.node('Sigmoid', `${nodeName}/sigmoid`, [input]);
      return g.node('Mul', nodeName, [input, gate]);
    }
    case 'mish': {
      // x · tanh(softplus(x)); ONNX Mish needs opset 18.
      const soft = g.node('Softplus', `${nodeName}/softplus`, [input]);
      return g.node('Mul', nodeName, [input, g.node('Tanh', `${nodeName}/tanh`, [soft])]);
    }
    case 'gelu': {
      // tfjs' exact form x · ½(1 + erf(x/√2)) (not the tanh approximation, which is 'gelu_new').
      const scaled = g.node('Div', `${nodeName}/div`, [
        input,
        g.floats(`${nodeName}/sqrt2`, [], Float32Array.of(Math.SQRT2)),
      ]);
      const cdf = g.node('Add', `${nodeName}/add`, [
        g.node('Erf', `${nodeName}/erf`, [scaled]),
        g.floats(`${nodeName}/one`, [], Float32Array.of(1)),
      ]);
      const half = g.node('Mul', `${nodeName}/half`, [cdf, g.floats(`${nodeName}/0.5`, [], Float32Array.of(0.5))]);
      return g.node('Mul', nodeName, [input, half]);
    }
  }
}

/** Clip with scalar bounds (opset ≥ 11 takes them as inputs, not attributes); `max` null means unbounded. */
export function emitClip(g: GraphBuilder, nodeName: string, input: string, min: number, max: number | null): string {
  const lo = g.floats(`${nodeName}/min`, [], Float32Array.of(min));
  if (max === null) return g.node('Clip', nodeName, [input, lo]);
  const hi = g.floats(`${nodeName}/max`, [], Float32Array.of(max));
  return g.node('Clip', nodeName, [input, lo, hi]);
}
