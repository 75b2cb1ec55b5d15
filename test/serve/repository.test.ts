/** Model discovery: the three layouts, the `default` alias, and nothing reachable outside DIR. */
import * as tf from '@tensorflow/tfjs';
import { mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLayersModel, writeTritonRepository } from '../../export/index.js';
import { buildModel } from '../../train/models/index.js';
import { discoverModels } from '../../serve/index.js';
import { GRAY, makeRunFolder, tempDir } from './fixtures.js';
import { call, startServer } from './helpers.js';

let root: string;

beforeAll(async () => {
  root = await tempDir('repo');
  await makeRunFolder(join(root, 'runs', 'alpha'), GRAY);
  await makeRunFolder(join(root, 'runs', 'beta'), { ...GRAY, seed: 3 });
  await utimes(join(root, 'runs', 'alpha', 'model.onnx'), new Date(2e12), new Date(2e12));
  await mkdir(join(root, 'runs', 'notes'));
  await writeFile(join(root, 'runs', 'notes', 'readme.txt'), 'not a model');
  await makeRunFolder(join(root, 'outside'), GRAY);
  await tf.setBackend('cpu');
  const { model } = buildModel({ height: 28, width: 28, channels: 1, classes: 10 }, { preset: 'tiny' });
  const result = exportLayersModel(model, { labels: GRAY.labels, preprocessing: GRAY.preprocessing });
  // Writes triton/mnist/{config.pbtxt, labels.txt, 1/model.onnx}; version 3 is added beside it.
  await writeTritonRepository(join(root, 'triton'), result, result.encode(), { name: 'mnist' });
  await mkdir(join(root, 'triton', 'mnist', '3'));
  await writeFile(join(root, 'triton', 'mnist', '3', 'model.onnx'), result.encode());
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('discoverModels', () => {
  it('serves a run folder under its name and default', async () => {
    const repo = await discoverModels(join(root, 'runs', 'beta'));
    expect(repo.entries.map((e) => e.name)).toEqual(['beta']);
    expect(repo.defaultName).toBe('beta');
  });

  it('serves a folder of runs; default is the newest model; other folders are ignored', async () => {
    const repo = await discoverModels(join(root, 'runs'));
    expect(repo.entries.map((e) => e.name)).toEqual(['alpha', 'beta']);
    expect(repo.defaultName).toBe('alpha');
  });

  it('reads a Triton repository, highest version first', async () => {
    const repo = await discoverModels(join(root, 'triton'));
    expect(repo.entries).toEqual([
      expect.objectContaining({
        name: 'mnist',
        layout: 'triton',
        path: expect.stringMatching(/mnist\/3\/model\.onnx$/),
      }),
    ]);
  });

  it('skips a model whose real path leaves DIR through a symlink', async () => {
    const dir = join(root, 'linked');
    await mkdir(dir);
    await symlink(join(root, 'outside'), join(dir, 'escape'));
    await makeRunFolder(join(dir, 'inside'), GRAY);
    const repo = await discoverModels(dir);
    expect(repo.entries.map((e) => e.name)).toEqual(['inside']);
    expect(repo.skipped.join()).toMatch(/escape: .* resolves outside/);
  });

  it('skips folder names that are not URL-safe model names', async () => {
    const dir = join(root, 'odd');
    await makeRunFolder(join(dir, 'has space'), GRAY);
    await makeRunFolder(join(dir, 'ok'), GRAY);
    const repo = await discoverModels(dir);
    expect(repo.entries.map((e) => e.name)).toEqual(['ok']);
    expect(repo.skipped.join()).toMatch(/has space/);
  });

  it('says what it expected when DIR holds no model', async () => {
    await mkdir(join(root, 'empty'));
    await expect(discoverModels(join(root, 'empty'))).rejects.toThrow(/no models found; expected DIR\/model\.onnx/);
    await expect(discoverModels(join(root, 'missing'))).rejects.toThrow(/no such folder/);
  });

  it('a Triton repository answers over HTTP under its name and default', async () => {
    const server = await startServer({ models: join(root, 'triton') });
    try {
      for (const name of ['mnist', 'default'])
        expect((await call(`${server.url}/v2/models/${name}`)).json).toMatchObject({ name: 'mnist' });
      expect(basename(server.app.models.get('default').path)).toBe('model.onnx');
    } finally {
      await server.close();
    }
  });
});
