/**
 * Installs the wasm kernel additions and overrides. Safe to call any number of times and before or
 * after the wasm backend is initialised: overrides keep the stock kernel's setupFunc (which binds
 * its C function) and wrap the stock kernelFunc exactly once.
 */
import * as tf from '@tensorflow/tfjs';
import { wrapBatchMatMul } from './batch-matmul.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { wrapConv2DBackpropInput } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { wrapSamePadding } from './same-padding-fix.js';
import { wrapIdentity } from './identity.js';
import { wrapTile } from './tile.js';
import { batchNormGradConfig, batchNormTrainConfig, batchNormTrainGradient } from '../native/batchnorm-kernels.js';
import { adamUpdateConfig } from '../native/adam-kernel.js';
import { wrapNativeBatchMatMul } from '../native/matmul-kernel.js';
import { reluGradient, reluGradKernelConfig } from '../native/relu-grad.js';
import {
  wrapNativeConvBackpropFilter,
  wrapNativeConvBackpropInput,
  wrapNativeConvForward,
} from '../native/conv-kernels.js';

/**
 * Kernels tfjs-backend-wasm lacks; a native one, should a later tfjs ship it, is left in place.
 * The conv kernels here and in the overrides run on the native (C++) kernels whenever those are active
 * (../native/active.ts) and on the wasm path otherwise; the Actprobe* kernels (fused batch norm, ReLU
 * gradient, Adam) exist only for the native path, and their callers check that it is active first.
 */
export const WASM_ADDED_KERNELS: readonly tf.KernelConfig[] = [
  { ...conv2DBackpropFilterConfig, kernelFunc: wrapNativeConvBackpropFilter(conv2DBackpropFilterConfig.kernelFunc) },
  batchNormTrainConfig,
  batchNormGradConfig,
  reluGradKernelConfig,
  adamUpdateConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

export interface KernelOverride {
  kernelName: string;
  why: string;
  wrap: (stock: tf.KernelFunc) => tf.KernelFunc;
}

export const WASM_KERNEL_OVERRIDES: readonly KernelOverride[] = [
  {
    kernelName: tf.Conv2DBackpropInput,
    why: 'native GEMM, else strides ≤ 3 as a forward conv (3–10× faster)',
    wrap: (stock) => wrapNativeConvBackpropInput(wrapConv2DBackpropInput(stock)),
  },
  {
    kernelName: tf.BatchMatMul,
    why: 'native GEMM, else explicit transposes instead of transposeA/B',
    wrap: (stock) => wrapNativeBatchMatMul(wrapBatchMatMul(stock)),
  },
  {
    kernelName: tf.Identity,
    why: 'shares the ref-counted buffer instead of copying it (as the cpu backend does)',
    wrap: wrapIdentity,
  },
  { kernelName: tf.Tile, why: 'whole-tensor repeats (BatchNorm gradient) as memcpys', wrap: wrapTile },
  {
    kernelName: tf.MaxPoolGrad,
    why: 'replaced: the stock kernel misroutes gradients with several channels or images',
    wrap: () => maxPoolGradConfig.kernelFunc,
  },
  {
    kernelName: tf.Conv2D,
    why: "native GEMM, else explicit pads for 'same' (XNNPACK bug)",
    wrap: (stock) => wrapNativeConvForward(tf.Conv2D)(wrapSamePadding(false)(stock)),
  },
  {
    kernelName: tf.FusedConv2D,
    why: "native GEMM, else explicit pads for 'same' (XNNPACK bug)",
    wrap: (stock) => wrapNativeConvForward(tf.FusedConv2D)(wrapSamePadding(false)(stock)),
  },
  { kernelName: tf.DepthwiseConv2dNative, why: "explicit pads for 'same' (XNNPACK bug)", wrap: wrapSamePadding(true) },
  { kernelName: tf.FusedDepthwiseConv2D, why: "explicit pads for 'same' (XNNPACK bug)", wrap: wrapSamePadding(true) },
];

const ours = new WeakSet<tf.KernelFunc>();

export interface RegisterResult {
  added: string[];
  overridden: string[];
}

export function registerWasmKernels(): RegisterResult {
  const result: RegisterResult = { added: [], overridden: [] };
  if (tf.getGradient(batchNormTrainGradient.kernelName) === undefined) tf.registerGradient(batchNormTrainGradient);
  // Replaces tfjs' Relu gradient on every backend; it keeps tfjs' formula where the native kernel is not active.
  if (tf.getGradient(tf.Relu) !== reluGradient) tf.registerGradient(reluGradient);
  for (const config of WASM_ADDED_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    ours.add(config.kernelFunc);
    result.added.push(config.kernelName);
  }
  for (const o of WASM_KERNEL_OVERRIDES) {
    const stock = tf.getKernel(o.kernelName, 'wasm');
    if (stock === undefined || ours.has(stock.kernelFunc)) continue;
    const kernelFunc = o.wrap(stock.kernelFunc);
    ours.add(kernelFunc);
    tf.unregisterKernel(o.kernelName, 'wasm');
    tf.registerKernel({ ...stock, kernelFunc });
    result.overridden.push(o.kernelName);
  }
  return result;
}
