/** `npm run fetch-reference -- NAME [--cache DIR] [--url URL]`: download a reference model, sha256-verified. */
import { Command } from 'commander';
import { BUILTIN_CARDS, builtinCard, CARD_ALIASES } from './cards/builtin.js';
import { fetchReference, referenceCacheDir } from './cards/fetch.js';
import { shippedReference } from './cards/shipped.js';

const program = new Command('fetch-reference')
  .description('Download a reference model into the cache, verified against the sha256 in its card.')
  .argument(
    '<name>',
    `card: ${Object.keys(BUILTIN_CARDS).join(', ')} (aliases: ${Object.entries(CARD_ALIASES)
      .map(([a, c]) => `${a} → ${c}`)
      .join(', ')})`,
  )
  .option('--cache <dir>', `cache folder (default: ${referenceCacheDir()})`)
  .option('--url <url>', 'download from this mirror instead of the card URL (the checksum still applies)')
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<{ cache?: string; url?: string }>();
  const card = builtinCard(program.args[0]);
  if (card.shipped) {
    console.log(
      `fetch-reference: ${card.name} ships with the project, nothing to download: ${await shippedReference(card)} (sha256 verified)`,
    );
    return;
  }
  const path = await fetchReference(card, { cacheDir: o.cache, url: o.url });
  console.log(`fetch-reference: ${path} (sha256 verified)`);
}

main().catch((err: unknown) => {
  console.error(`fetch-reference: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
