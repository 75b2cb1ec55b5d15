import type { LayerTrainingStats } from './layer-stats.js';

/** One line of metrics.jsonl: the state of training after one mini-epoch. */
export interface MiniEpochMetrics {
  miniEpoch: number;
  imagesSeen: number;
  lr: number;
  batchSize: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  testTop5?: number;
  imagesPerSecond: number;
  seconds: number;
  layers: LayerTrainingStats[];
}

/** The line written instead when a step produced NaN/Inf: where it happened, so the user can look there. */
export interface NonFiniteRecord {
  event: 'non-finite';
  miniEpoch: number;
  step: number;
  where: 'loss' | 'gradient' | 'weights';
  variable: string | null;
  message: string;
  lastGoodCheckpoint: number;
}
