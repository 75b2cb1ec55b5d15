import { z } from 'zod';
import { defineEmitter, only } from './types.js';
import type { Emitter } from './types.js';

/**
 * Training-only noise layers are the identity at inference: no node is written and the layer's output is its
 * input's value (a probe never sees them, as onnxruntime would drop an Identity anyway).
 */
const identity = (className: string): Emitter => defineEmitter(className, z.object({}), (ctx) => only(ctx).value);

export const dropout = identity('Dropout');
export const spatialDropout1d = identity('SpatialDropout1D');
export const spatialDropout2d = identity('SpatialDropout2D');
export const gaussianNoise = identity('GaussianNoise');
export const gaussianDropout = identity('GaussianDropout');
export const alphaDropout = identity('AlphaDropout');
