import { Rng } from './rng.js';
import { hasLabels } from './labelled.js';
import type { DataSource, DatasetInfo } from './types.js';
import { mix32 } from './util.js';

/**
 * A fixed set of test indices whose activations are tracked across a run. It depends only on
 * (testCount, classes, count, seed[, labels]), never on training state, so every checkpoint and a
 * resumed run watch the same examples.
 *
 * With `testLabels` the picks go round-robin over classes (class 0, 1, ..., then a second example
 * of each, ...), each class's examples taken in a seeded random order. Without labels the test
 * range is cut into `count` equal strata with one seeded pick in each, which still spreads over
 * classes for sources stored class by class or interleaved. Returns min(count, testCount) indices.
 */
export function watchSetIndices(
  info: DatasetInfo,
  count: number,
  seed: number,
  testLabels?: ArrayLike<number>,
): number[] {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`watch set count must be a non-negative integer, got ${count}.`);
  const total = info.testCount;
  const n = Math.min(count, total);
  if (testLabels === undefined) return stratified(total, n, seed);
  if (testLabels.length !== total) {
    throw new RangeError(
      `watch set: got ${testLabels.length} test labels but ${info.name} has testCount ${total}; pass the labels of the whole test split.`,
    );
  }
  const buckets: number[][] = Array.from({ length: info.classes }, () => []);
  for (let i = 0; i < total; i++) {
    const label = testLabels[i];
    if (!(label >= 0 && label < info.classes))
      throw new RangeError(`watch set: test label ${label} at index ${i} is outside 0..${info.classes - 1}.`);
    buckets[label].push(i);
  }
  // Each class shuffles with its own stream, so one class's size never changes another's picks.
  buckets.forEach((b, c) => new Rng(mix32(seed, 0x5741, c)).shuffle(b));
  const out: number[] = [];
  for (let round = 0; out.length < n; round++) {
    for (const b of buckets) {
      if (round < b.length && out.length < n) out.push(b[round]);
    }
  }
  return out;
}

/** `watchSetIndices` using the source's labels when it can list them cheaply. */
export async function watchSetForSource(source: DataSource, count: number, seed: number): Promise<number[]> {
  const labels = hasLabels(source) ? await source.labels('test') : undefined;
  return watchSetIndices(source.info, count, seed, labels);
}

function stratified(total: number, n: number, seed: number): number[] {
  const rng = new Rng(mix32(seed, 0x5741));
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const lo = Math.floor((k * total) / n);
    const hi = Math.floor(((k + 1) * total) / n);
    out.push(lo + rng.int(hi - lo));
  }
  return out;
}
