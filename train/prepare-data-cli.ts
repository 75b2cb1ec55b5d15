/** `npm run prepare-data -- --config FILE [--cache DIR]`: decode an image folder once into the decoded cache. */
import '../data/thread-pool.js';
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parseDataSpec } from '../data/index.js';
import { defaultDecodedCacheDir } from '../data/decoded-cache.js';
import { prepareDecodedCache } from '../data/prepare-data.js';

const program = new Command('prepare-data')
  .description(
    "Decode every image of an image-folder data set once, at the config's training size, into a compact cache file that training then reads on every pass instead of decoding JPEGs (used automatically while the folder is unchanged).",
  )
  .requiredOption('-c, --config <file>', 'train or pipeline config JSON whose "data" is an image-folder')
  .option('--cache <dir>', `cache folder (default: $ACTPROBE_DECODED_CACHE or ${defaultDecodedCacheDir()})`)
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<{ config: string; cache?: string }>();
  let raw: { data?: unknown };
  try {
    raw = JSON.parse(await readFile(o.config, 'utf8')) as { data?: unknown };
  } catch (e) {
    throw new Error(`cannot read config ${o.config}: ${(e as Error).message}`);
  }
  const spec = parseDataSpec(raw.data);
  if (spec.name !== 'image-folder')
    throw new Error(
      `config ${o.config}: data.name is "${spec.name}"; only image-folder data sets are decoded into a cache (the others are read from memory already).`,
    );
  const r = await prepareDecodedCache({ ...spec, cacheDir: o.cache });
  const what = r.written ? `wrote ${r.path}` : `${r.path} is already up to date`;
  console.log(
    `prepare-data: ${what}: ${r.images} images at ${spec.height}×${spec.width}×${spec.channels}, ${(r.bytes / 1e6).toFixed(1)} MB${r.bad ? `, ${r.bad} damaged file(s) left out` : ''}, ${r.seconds.toFixed(1)} s${r.written ? ` (${(r.images / r.seconds).toFixed(0)} img/s)` : ''}`,
  );
}

main().catch((e: unknown) => {
  console.error(`prepare-data: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
