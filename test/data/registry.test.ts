import { describe, expect, it } from 'vitest';
import { createDataSource, dataSourceNames, dataSpecSchema, parseDataSpec } from '../../data/index.js';

describe('data registry', () => {
  it('fills defaults and builds the synthetic source', async () => {
    expect(parseDataSpec({ name: 'synthetic' })).toMatchObject({ classes: 10, height: 28, channels: 1, noise: 0.1 });
    const src = await createDataSource({ name: 'synthetic', classes: 3, trainCount: 6, testCount: 3 });
    expect(src.info).toMatchObject({ name: 'synthetic', classes: 3, trainCount: 6 });
    expect((await src.read('train', [0, 1])).count).toBe(2);
  });

  it('rejects unknown names listing the known ones', async () => {
    expect(dataSourceNames).toEqual(['fashion-mnist', 'synthetic', 'image-folder', 'cifar10']);
    await expect(createDataSource(JSON.parse('{"name":"mnist"}'))).rejects.toThrow(
      'Unknown data source (name "mnist"); known data sources: fashion-mnist, synthetic, image-folder, cifar10.',
    );
    expect(() => parseDataSpec({})).toThrow(/no "name" field.*fashion-mnist/);
  });

  it('names the offending field', () => {
    expect(() => parseDataSpec({ name: 'synthetic', channels: 2 })).toThrow(/"synthetic"[\s\S]*channels/);
    expect(() => parseDataSpec({ name: 'image-folder' })).toThrow(/root/);
    expect(() => parseDataSpec({ name: 'cifar10', dir: '/x', limitTrian: 3 })).toThrow(/limitTrian/);
    expect(dataSpecSchema.safeParse({ name: 'fashion-mnist', limitTrain: 100 }).success).toBe(true);
  });
});
