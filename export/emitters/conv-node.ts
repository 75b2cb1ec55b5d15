import { toOnnxLayout } from '../layout.js';
import { attr } from '../../onnx/spec.js';
import { padAttributes } from '../padding.js';
import { emitActivation } from './activation-fn.js';
import type { ActivationName } from './config.js';
import { only, requireRank, type EmitContext } from './types.js';

/** What Conv2D and DepthwiseConv2D configs share (the Keras fields that shape an ONNX Conv). */
export interface ConvFields {
  kernel_size: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
  dilation_rate: [number, number];
  activation: ActivationName;
  use_bias: boolean;
}

/**
 * One ONNX Conv (+ `name/<activation>`) for both conv classes: they differ only in the kernel's weight name,
 * its layout (plain or depthwise) and the group count, which is read from the kernel.
 */
export function emitConvNode(ctx: EmitContext, c: ConvFields, kernelName: 'kernel' | 'depthwise_kernel'): string {
  const x = only(ctx);
  requireRank(ctx, x, [4]);
  const kernel = ctx.weight(kernelName);
  const depthwise = kernelName === 'depthwise_kernel';
  const w = toOnnxLayout(depthwise ? 'depthwise-kernel' : 'conv-kernel', kernel.values, kernel.shape);
  const inputs = [x.value, ctx.graph.floats(`${ctx.name}/${kernelName}`, w.shape, w.values)];
  if (c.use_bias) {
    const bias = ctx.weight('bias');
    inputs.push(ctx.graph.floats(`${ctx.name}/bias`, bias.shape, bias.values));
  }
  const conv = ctx.graph.node('Conv', ctx.name, inputs, {
    kernel_shape: attr.ints(c.kernel_size),
    strides: attr.ints(c.strides),
    dilations: attr.ints(c.dilation_rate),
    // Depthwise: one group per input channel (HWIO kernel: axis 2).
    group: attr.int(depthwise ? kernel.shape[2] : 1),
    ...padAttributes(c.padding, [x.shape[1], x.shape[2]], c.kernel_size, c.strides, c.dilation_rate),
  });
  return emitActivation(ctx.graph, `${ctx.name}/${c.activation}`, conv, c.activation, 4);
}
