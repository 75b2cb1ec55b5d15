import { globalPoolingEmitter } from './global-pooling.js';

export const globalAveragePooling2d = globalPoolingEmitter('GlobalAveragePooling2D', 'ReduceMean');
