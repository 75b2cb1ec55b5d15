import type { LabelledDataSource } from './labelled.js';
import { Rng } from './rng.js';
import type { Batch, DatasetInfo, Split } from './types.js';
import { checkIndices, definedOnly, mix32 } from './util.js';

export interface SyntheticOptions {
  classes?: number;
  height?: number;
  width?: number;
  channels?: 1 | 3;
  trainCount?: number;
  testCount?: number;
  seed?: number;
  /** Standard deviation of per-pixel Gaussian noise, in [0, 1] pixel units. */
  noise?: number;
}

export const SYNTHETIC_DEFAULTS = {
  classes: 10,
  height: 28,
  width: 28,
  channels: 1,
  trainCount: 5000,
  testCount: 1000,
  seed: 0,
  noise: 0.1,
} as const satisfies Required<SyntheticOptions>;

/**
 * Procedural images that need no files: each class is a textured blob at its own position on a
 * ring, striped at its own orientation and (with 3 channels) tinted its own hue; every example
 * jitters position, size, stripe phase and brightness and adds noise. Examples are generated on
 * demand from (seed, split, index), so nothing is held and a given index is always the same image.
 */
export function createSynthetic(opts: SyntheticOptions = {}): LabelledDataSource {
  const o = { ...SYNTHETIC_DEFAULTS, ...definedOnly(opts) };
  for (const field of ['classes', 'height', 'width', 'trainCount', 'testCount'] as const) {
    if (!Number.isInteger(o[field]) || o[field] < 1)
      throw new RangeError(`synthetic ${field} must be a positive integer, got ${o[field]}.`);
  }
  if (o.classes < 2) throw new RangeError(`synthetic classes must be at least 2, got ${o.classes}.`);
  if (o.channels !== 1 && o.channels !== 3)
    throw new RangeError(`synthetic channels must be 1 or 3, got ${o.channels}.`);
  if (!(o.noise >= 0)) throw new RangeError(`synthetic noise must be >= 0, got ${o.noise}.`);
  if (!Number.isInteger(o.seed)) throw new RangeError(`synthetic seed must be an integer, got ${o.seed}.`);

  const info: DatasetInfo = {
    name: 'synthetic',
    height: o.height,
    width: o.width,
    channels: o.channels,
    classes: o.classes,
    labels: Array.from({ length: o.classes }, (_, c) => `class-${c}`),
    trainCount: o.trainCount,
    testCount: o.testCount,
    origin: 'procedural',
  };
  const counts = { train: o.trainCount, test: o.testCount };
  const size = o.height * o.width * o.channels;
  return {
    info,
    async read(split: Split, indices: ArrayLike<number>): Promise<Batch> {
      checkIndices('synthetic', split, indices, counts[split]);
      const images = new Float32Array(indices.length * size);
      const labels = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) {
        labels[i] = syntheticLabel(indices[i], o.classes);
        renderExample(images.subarray(i * size, (i + 1) * size), labels[i], o, split, indices[i]);
      }
      return { images, labels, count: indices.length };
    },
    async labels(split: Split): Promise<Int32Array> {
      return Int32Array.from({ length: counts[split] }, (_, i) => syntheticLabel(i, o.classes));
    },
  };
}

/** Round-robin labels keep every class equally represented in any prefix of a split. */
export function syntheticLabel(index: number, classes: number): number {
  return index % classes;
}

type Resolved = typeof SYNTHETIC_DEFAULTS | Required<SyntheticOptions>;

function renderExample(out: Float32Array, label: number, o: Resolved, split: Split, index: number): void {
  // Train and test draw from different streams so the test split is never a copy of train.
  const rng = new Rng(mix32(o.seed, split === 'train' ? 1 : 2, index));
  const { height: h, width: w, channels: ch, classes } = o;
  const side = Math.min(h, w);
  const ring = (2 * Math.PI * label) / classes;
  const cy = h / 2 + 0.27 * side * Math.sin(ring) + 0.05 * side * rng.normal();
  const cx = w / 2 + 0.27 * side * Math.cos(ring) + 0.05 * side * rng.normal();
  const sigma = 0.13 * side * (0.8 + 0.4 * rng.next());
  const theta = (Math.PI * label) / classes + 0.08 * rng.normal();
  const freq = (2 * Math.PI) / Math.max(3, side / 5);
  const phase = 2 * Math.PI * rng.next();
  const amp = 0.7 + 0.3 * rng.next();
  const colour = ch === 3 ? hueToRgb(label / classes) : [1];
  const kx = freq * Math.cos(theta);
  const ky = freq * Math.sin(theta);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d2 = (y - cy) ** 2 + (x - cx) ** 2;
      const blob = Math.exp(-d2 / (2 * sigma * sigma));
      const stripes = 0.5 + 0.5 * Math.cos(kx * x + ky * y + phase);
      const v = amp * (0.65 * blob * (0.4 + 0.6 * stripes) + 0.2 * stripes);
      for (let c = 0; c < ch; c++) {
        const p = v * colour[c] + o.noise * rng.normal();
        out[(y * w + x) * ch + c] = p < 0 ? 0 : Math.min(p, 1);
      }
    }
  }
}

/** Fully saturated hue, brightened so no class has a near-black channel triple. */
function hueToRgb(hue: number): number[] {
  const f = (n: number): number => {
    const k = (n + hue * 6) % 6;
    return 1 - Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [f(5), f(3), f(1)].map((v) => 0.3 + 0.7 * v);
}
