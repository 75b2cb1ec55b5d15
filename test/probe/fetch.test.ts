import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_CARDS, builtinCard } from '../../probe/cards/builtin.js';
import { parseCard, type ModelCard } from '../../probe/cards/card.js';
import { cachedReference, ChecksumMismatchError, fetchReference } from '../../probe/cards/fetch.js';

const body = Buffer.from('not really an ONNX file, but bytes with a known checksum');
const sha = createHash('sha256').update(body).digest('hex');
let server: Server;
let base = '';
let hits = 0;
const quiet = { log: () => undefined };

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/model.onnx') res.end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function card(sha256 = sha): ModelCard {
  return parseCard(
    {
      ...BUILTIN_CARDS['bvlcalexnet-12'],
      name: 'test-ref',
      file: 'test-ref.onnx',
      url: `${base}/model.onnx`,
      sha256,
      bytes: body.length,
    },
    'test',
  );
}

describe('fetch-reference', () => {
  it('downloads into the cache with its sha256 verified, then serves the cached copy', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'actprobe-ref-'));
    await expect(cachedReference(card(), cacheDir)).rejects.toThrow(
      /not in the cache .*npm run fetch-reference -- test-ref/,
    );
    const path = await fetchReference(card(), { cacheDir, ...quiet });
    expect(readFileSync(path)).toEqual(body);
    const before = hits;
    expect(await fetchReference(card(), { cacheDir, ...quiet })).toBe(path);
    expect(hits).toBe(before);
    expect(await cachedReference(card(), cacheDir)).toBe(path);
  });

  it('keeps nothing when the checksum does not match', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'actprobe-ref-'));
    const wrong = '0'.repeat(64);
    const err = await fetchReference(card(wrong), { cacheDir, ...quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumMismatchError);
    expect(String(err)).toContain(`sha256 ${sha}, expected ${wrong}`);
    expect(existsSync(join(cacheDir, 'test-ref.onnx'))).toBe(false);
  });

  it('says what to do when offline or the file is missing', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'actprobe-ref-'));
    // A port that was just free: nothing listens there, as when the machine is offline.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      fetchReference(card(), { cacheDir, url: `http://127.0.0.1:${port}/model.onnx`, ...quiet }),
    ).rejects.toThrow(/ECONNREFUSED.*offline.*copy it to .*test-ref\.onnx \(sha256/);
    await expect(fetchReference(card(), { cacheDir, url: `${base}/missing.onnx`, ...quiet })).rejects.toThrow(
      /HTTP 404/,
    );
  });

  it('has real cards for the zoo and torchvision AlexNets', () => {
    const zoo = builtinCard('alexnet');
    expect(zoo).toMatchObject({
      name: 'bvlcalexnet-12',
      pretrained: true,
      input: { name: 'data_0', height: 224, width: 224, channelOrder: 'BGR', scale: 255 },
    });
    expect(zoo.input.mean).toEqual([103.939, 116.779, 123.68]);
    expect(zoo.url).toMatch(/^https:\/\/github\.com\/onnx\/models\/.*bvlcalexnet-12\.onnx$/);
    expect(zoo.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(builtinCard('torchvision-alexnet')).toMatchObject({
      input: { channelOrder: 'RGB', scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      output: { kind: 'logits' },
    });
    expect(() => builtinCard('vgg')).toThrow(
      /Unknown model card "vgg"; built-in cards: bvlcalexnet-12, squeezenet1.1, squeezenet1.1-7, torchvision-alexnet/,
    );
  });
});
