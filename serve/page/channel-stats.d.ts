// Types of channel-stats.js (plain JavaScript so the browser page can load it as it is).
import type { ChannelStats } from '../../probe/stats/types.js';

export declare const ZERO_GAIN: number;
export declare function channelStats(data: ArrayLike<number>, shape: readonly number[]): ChannelStats;
export declare function layerStats(data: ArrayLike<number>): {
  min: number;
  max: number;
  mean: number;
  std: number;
  zeroFraction: number;
};
