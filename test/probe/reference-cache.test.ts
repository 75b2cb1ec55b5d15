/** A reference model in the cache is checked against its card's sha256 on every use, not only at download. */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CARDS } from '../../probe/cards/builtin.js';
import { parseCard } from '../../probe/cards/card.js';
import { cachedReference, ChecksumMismatchError } from '../../probe/cards/fetch.js';

describe('reference cache', () => {
  it('a corrupt cached file is refused by checksum on use, with "run fetch-reference again"', async () => {
    const body = Buffer.from('bytes of the reference model as downloaded');
    const card = parseCard(
      {
        ...BUILTIN_CARDS['bvlcalexnet-12'],
        name: 'test-ref',
        file: 'test-ref.onnx',
        url: 'http://127.0.0.1:9/m.onnx',
        sha256: createHash('sha256').update(body).digest('hex'),
      },
      'test',
    );
    const cacheDir = mkdtempSync(join(tmpdir(), 'actprobe-refcache-'));
    const path = join(cacheDir, 'test-ref.onnx');
    writeFileSync(path, body);
    expect(await cachedReference(card, cacheDir)).toBe(path);
    // One flipped byte, same size: what a bad disk or an interrupted copy leaves.
    const damaged = Buffer.from(body);
    damaged[5] ^= 1;
    writeFileSync(path, damaged);
    const err = await cachedReference(card, cacheDir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumMismatchError);
    expect((err as Error).message).toMatch(
      /test-ref at .*test-ref\.onnx is damaged: sha256 [0-9a-f]{64}.*, expected [0-9a-f]{64}\. It was not used\. .*run `npm run fetch-reference -- test-ref` again/,
    );
  });
});
