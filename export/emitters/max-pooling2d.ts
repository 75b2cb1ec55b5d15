import { poolingEmitter } from './pooling.js';

export const maxPooling2d = poolingEmitter('MaxPooling2D', 'MaxPool');
