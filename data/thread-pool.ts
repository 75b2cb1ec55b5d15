/** Imported first by the commands that decode images (train, pipeline, prepare-data): see sizeThreadPool. */
import { sizeThreadPool } from '../settings/index.js';

sizeThreadPool();
