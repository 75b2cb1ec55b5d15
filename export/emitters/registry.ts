import { activation } from './activation.js';
import { add } from './add.js';
import { averagePooling2d } from './average-pooling2d.js';
import { batchNormalization } from './batch-normalization.js';
import { concatenate } from './concatenate.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import {
  alphaDropout,
  dropout,
  gaussianDropout,
  gaussianNoise,
  spatialDropout1d,
  spatialDropout2d,
} from './dropout.js';
import { elu } from './elu.js';
import { flatten } from './flatten.js';
import { globalAveragePooling2d } from './global-average-pooling2d.js';
import { globalMaxPooling2d } from './global-max-pooling2d.js';
import { leakyRelu } from './leaky-relu.js';
import { localResponseNormalization } from './local-response-normalization.js';
import { maxPooling2d } from './max-pooling2d.js';
import { multiply } from './multiply.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';
import type { Emitter } from './types.js';
import { zeroPadding2d } from './zero-padding2d.js';

/**
 * Every Keras class the exporter can write, keyed on the `class_name` of model.json (never a JS constructor
 * name, which minifiers and subclasses change). InputLayer is the graph input, handled by the converter.
 */
const emitters: readonly Emitter[] = [
  activation,
  add,
  alphaDropout,
  averagePooling2d,
  batchNormalization,
  concatenate,
  conv2d,
  dense,
  depthwiseConv2d,
  dropout,
  elu,
  flatten,
  gaussianDropout,
  gaussianNoise,
  globalAveragePooling2d,
  globalMaxPooling2d,
  leakyRelu,
  localResponseNormalization,
  maxPooling2d,
  multiply,
  relu,
  reshape,
  softmax,
  spatialDropout1d,
  spatialDropout2d,
  zeroPadding2d,
];

const registry = new Map(emitters.map((e) => [e.className, e]));

export const supportedClasses: readonly string[] = [...registry.keys()].sort();

export function hasEmitter(className: string): boolean {
  return registry.has(className);
}

/** The emitter for a class; an unknown class is an error naming the layer, its class and what is supported. */
export function emitterFor(layerName: string, className: string): Emitter {
  const e = registry.get(className);
  if (!e)
    throw new Error(
      `layer ${layerName}: Keras class ${className} has no ONNX emitter; supported classes: ${supportedClasses.join(', ')}`,
    );
  return e;
}
