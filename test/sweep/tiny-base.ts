/** The smallest pipeline config that runs every stage (synthetic data, tiny net, one short mini-epoch). */
export const TINY_BASE = {
  data: { name: 'synthetic', classes: 4, height: 16, width: 16, channels: 1, trainCount: 256, testCount: 64 },
  model: { preset: 'tiny', width: 1 },
  schedule: [{ from: 0, lr: 0.001, batchSize: 32 }],
  miniEpochImages: 128,
  miniEpochs: 2,
  evalImages: 0,
  watchImages: 2,
  probe: { images: 32, batchSize: 32 },
  reference: null,
  parityImages: 2,
};

export const ROOT = new URL('../../', import.meta.url).pathname;
