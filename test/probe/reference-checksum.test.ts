/**
 * Reference files are checked against their card's sha256 whenever they are used: the shipped SqueezeNet and
 * cached downloads alike. A damaged or truncated copy is refused with a message that says what to do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinCard } from '../../probe/cards/builtin.js';
import { parseCard } from '../../probe/cards/card.js';
import { ChecksumMismatchError } from '../../probe/cards/fetch.js';
import { referenceModelPath } from '../../probe/cards/reference-model.js';
import { shippedPath, shippedReference, verifyReferenceFile } from '../../probe/cards/shipped.js';

const root = new URL('../../', import.meta.url).pathname;
const shipped = builtinCard('squeezenet1.1');
let dir = '';
let bytes: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'actprobe-checksum-'));
  bytes = await readFile(shippedPath('squeezenet1.1.onnx'));
});

describe('reference checksums', () => {
  it("accepts the shipped SqueezeNet as committed, with the card's labels", async () => {
    expect(await shippedReference(shipped)).toBe(shippedPath('squeezenet1.1.onnx'));
    expect(shipped.labels?.[0]).toMatch(/tench/);
    expect(shipped.pretrained).toBe(true);
  });

  it('refuses a truncated copy and a copy with one byte changed, saying how to restore it', async () => {
    const truncated = join(dir, 'truncated.onnx');
    await writeFile(truncated, bytes.subarray(0, 1_000_000));
    const how = 'Restore the shipped copy with `git checkout -- assets/reference/squeezenet1.1.onnx`.';
    await expect(verifyReferenceFile(shipped, truncated, how)).rejects.toThrow(ChecksumMismatchError);
    await expect(verifyReferenceFile(shipped, truncated, how)).rejects.toThrow(
      /is damaged: sha256 [0-9a-f]{64} and 1000000 bytes instead of 4947532 \(truncated or damaged\), expected d1c04dc6.*git checkout -- assets\/reference\/squeezenet1\.1\.onnx/,
    );
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] ^= 0xff;
    const corrupted = join(dir, 'corrupted.onnx');
    await writeFile(corrupted, flipped);
    await expect(verifyReferenceFile(shipped, corrupted, how)).rejects.toThrow(
      /is damaged: sha256 [0-9a-f]{64}, expected d1c04dc6/,
    );
  });

  it('refuses a damaged file in the reference cache and says to fetch it again', async () => {
    const card = parseCard(
      {
        ...builtinCard('squeezenet1.1-7'),
        labels: undefined,
        sha256: shipped.sha256,
        bytes: shipped.bytes,
        file: 'copy.onnx',
      },
      'test',
    );
    await writeFile(join(dir, 'copy.onnx'), bytes);
    expect(await referenceModelPath(card, dir)).toBe(join(dir, 'copy.onnx'));
    await writeFile(join(dir, 'copy.onnx'), bytes.subarray(0, 4096));
    await expect(referenceModelPath(card, dir)).rejects.toThrow(
      /damaged.*Delete it and run `npm run fetch-reference -- squeezenet1\.1-7` again/,
    );
  });

  it('npm run probe refuses a truncated cached AlexNet by name, exit 1, one line', async () => {
    await writeFile(join(dir, 'bvlcalexnet-12.onnx'), bytes.subarray(0, 4096));
    const r = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      ['probe/cli.ts', 'alexnet', '--dataset', 'photos', '--json', join(dir, 'out.json')],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ACTPROBE_REFERENCE_CACHE: dir },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^probe: Reference model bvlcalexnet-12 at .*bvlcalexnet-12\.onnx is damaged: .*4096 bytes instead of 243863787.*fetch-reference -- bvlcalexnet-12/m,
    );
  });
});
