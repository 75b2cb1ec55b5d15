import { globalPoolingEmitter } from './global-pooling.js';

export const globalMaxPooling2d = globalPoolingEmitter('GlobalMaxPooling2D', 'ReduceMax');
