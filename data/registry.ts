import { z } from 'zod';
import { createCifar10 } from './cifar10.js';
import { createFashionMnist } from './fashion-mnist.js';
import { createImageFolder, IMAGE_FOLDER_DEFAULTS } from './image-folder.js';
import { createSynthetic, SYNTHETIC_DEFAULTS } from './synthetic.js';
import type { DataSource } from './types.js';

const limit = z.int().positive();
const side = z.int().min(4).max(4096);
const channels = z.union([z.literal(1), z.literal(3)]);

const fashionMnistSpec = z.strictObject({
  name: z.literal('fashion-mnist'),
  /** Directory with the four IDX files; else $ACTPROBE_DATA, the cache, /usr/share/datasets, download. */
  dir: z.string().min(1).optional(),
  baseUrl: z.url().optional(),
  download: z.boolean().default(true),
  limitTrain: limit.optional(),
  limitTest: limit.optional(),
});

const syntheticSpec = z.strictObject({
  name: z.literal('synthetic'),
  classes: z.int().min(2).max(1000).default(SYNTHETIC_DEFAULTS.classes),
  height: side.default(SYNTHETIC_DEFAULTS.height),
  width: side.default(SYNTHETIC_DEFAULTS.width),
  channels: channels.default(SYNTHETIC_DEFAULTS.channels),
  trainCount: z.int().positive().default(SYNTHETIC_DEFAULTS.trainCount),
  testCount: z.int().positive().default(SYNTHETIC_DEFAULTS.testCount),
  seed: z.int().default(SYNTHETIC_DEFAULTS.seed),
  noise: z.number().min(0).max(1).default(SYNTHETIC_DEFAULTS.noise),
});

const imageFolderSpec = z.strictObject({
  name: z.literal('image-folder'),
  root: z.string().min(1),
  height: side.default(IMAGE_FOLDER_DEFAULTS.height),
  width: side.default(IMAGE_FOLDER_DEFAULTS.width),
  channels: channels.default(IMAGE_FOLDER_DEFAULTS.channels),
  holdout: z.number().min(0).lt(1).default(IMAGE_FOLDER_DEFAULTS.holdout),
  seed: z.int().default(IMAGE_FOLDER_DEFAULTS.seed),
  concurrency: z.int().min(1).max(4096).default(IMAGE_FOLDER_DEFAULTS.concurrency),
  /** A file whose header or end is damaged (checked for every file before training): refuse, or train without it. */
  onBadImage: z.enum(['error', 'skip']).default(IMAGE_FOLDER_DEFAULTS.onBadImage),
});

const cifar10Spec = z.strictObject({
  name: z.literal('cifar10'),
  dir: z.string().min(1),
  limitTrain: limit.optional(),
  limitTest: limit.optional(),
});

export const dataSpecSchema = z.discriminatedUnion('name', [
  fashionMnistSpec,
  syntheticSpec,
  imageFolderSpec,
  cifar10Spec,
]);

/** What a config or CLI writes: defaulted fields may be left out. */
export type DataSpec = z.input<typeof dataSpecSchema>;
/** After `parseDataSpec`: every default filled in (what a run manifest should record). */
export type ResolvedDataSpec = z.output<typeof dataSpecSchema>;
export type DataSourceName = DataSpec['name'];

export const dataSourceNames: readonly DataSourceName[] = ['fashion-mnist', 'synthetic', 'image-folder', 'cifar10'];

/** Validates untrusted input (JSON config, CLI flags) with errors that name the source and field. */
export function parseDataSpec(raw: unknown): ResolvedDataSpec {
  const name = typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : undefined;
  if (typeof name !== 'string' || !(dataSourceNames as readonly string[]).includes(name)) {
    const got = name === undefined ? 'no "name" field' : `name ${JSON.stringify(name)}`;
    throw new Error(`Unknown data source (${got}); known data sources: ${dataSourceNames.join(', ')}.`);
  }
  const parsed = dataSpecSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid "${name}" data spec:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export async function createDataSource(spec: DataSpec): Promise<DataSource> {
  const s = parseDataSpec(spec);
  switch (s.name) {
    case 'fashion-mnist':
      return createFashionMnist({
        dataDir: s.dir,
        baseUrl: s.baseUrl,
        download: s.download,
        limitTrain: s.limitTrain,
        limitTest: s.limitTest,
      });
    case 'synthetic':
      return createSynthetic(s);
    case 'image-folder':
      return createImageFolder(s);
    case 'cifar10':
      return createCifar10(s);
  }
}
