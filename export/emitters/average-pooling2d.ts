import { poolingEmitter } from './pooling.js';

export const averagePooling2d = poolingEmitter('AveragePooling2D', 'AveragePool');
