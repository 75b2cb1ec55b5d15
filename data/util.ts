import type { Batch, Split } from './types.js';

/**
 * Rejects non-integer or out-of-range indices up front, so a trainer bug surfaces as a
 * message naming the source and split instead of silently reading NaNs or another example.
 */
export function checkIndices(source: string, split: Split, indices: ArrayLike<number>, count: number): void {
  for (let i = 0; i < indices.length; i++) {
    const ix = indices[i];
    if (!Number.isInteger(ix) || ix < 0 || ix >= count) {
      throw new RangeError(
        `${source}: ${split} index ${ix} (position ${i}) is out of range; the ${split} split has ${count} examples (valid 0..${count - 1}).`,
      );
    }
  }
}

/**
 * Gathers uint8 NHWC examples into a float batch. Sources keep bytes resident (4x smaller
 * than float32) and pay the conversion only for the examples a step actually uses.
 */
export function gatherUint8(
  pixels: Uint8Array,
  labels: ArrayLike<number>,
  exampleSize: number,
  indices: ArrayLike<number>,
): Batch {
  const count = indices.length;
  const images = new Float32Array(count * exampleSize);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const src = indices[i] * exampleSize;
    const dst = i * exampleSize;
    for (let k = 0; k < exampleSize; k++) images[dst + k] = pixels[src + k] / 255;
    out[i] = labels[indices[i]];
  }
  return { images, labels: out, count };
}

/** Applies `limit` ("take the first N"), validating it against what the file holds. */
export function applyLimit(available: number, limit: number | undefined, field: string): number {
  if (limit === undefined) return available;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`${field} must be a positive integer, got ${limit}.`);
  }
  return Math.min(available, limit);
}

/** murmur3's finaliser: turns (seed, split, index) into well-spread Rng seeds. */
export function mix32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping result order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // After one failure the others stop picking up work: the caller only sees the first error.
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

/** Code-unit order, so class numbering never depends on the machine's locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Drops `undefined` fields so `{ ...defaults, ...definedOnly(opts) }` never un-sets a default. */
export function definedOnly<T extends object>(opts: T): Partial<T> {
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<T>;
}
