import type { ProbeLayer } from '../schema.js';
import type { TapAccumulator } from '../stats/tap-accumulator.js';
import type { PlannedTap } from './plan.js';

export interface WatchRows {
  min: number[][];
  max: number[][];
}

/** JSON has no NaN/Infinity: they become null (the schema says so). */
export const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
const finiteAll = (a: number[]): Array<number | null> => a.map(finite);

export function layerEntry(t: PlannedTap, acc: TapAccumulator, w: WatchRows, depth: number): ProbeLayer {
  const ch = acc.channelStats();
  const s = acc.summary();
  return {
    name: t.name,
    op: t.op,
    shape: t.shape,
    channels: {
      min: finiteAll(ch.min),
      max: finiteAll(ch.max),
      mean: finiteAll(ch.mean),
      std: finiteAll(ch.std),
      zeroFraction: finiteAll(ch.zeroFraction),
      ...(ch.lowFraction && ch.highFraction
        ? { lowFraction: finiteAll(ch.lowFraction), highFraction: finiteAll(ch.highFraction) }
        : {}),
    },
    node: t.node,
    head: t.head,
    headOp: t.headOp,
    role: t.role,
    depth,
    summary: {
      min: finite(s.min),
      max: finite(s.max),
      mean: finite(s.mean),
      std: finite(s.std),
      p1: finite(s.p1),
      p50: finite(s.p50),
      p99: finite(s.p99),
      zeroFraction: finite(s.zeroFraction),
      deadChannels: s.deadChannels,
      nonFiniteChannels: s.nonFiniteChannels,
      ...(s.lowFraction !== undefined && s.highFraction !== undefined
        ? { lowFraction: finite(s.lowFraction), highFraction: finite(s.highFraction) }
        : {}),
    },
    watch: { min: w.min.map(finiteAll), max: w.max.map(finiteAll) },
  };
}
