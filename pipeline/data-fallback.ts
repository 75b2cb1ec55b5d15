import { createDataSource, DatasetNotFoundError } from '../data/index.js';
import type { DataSpec } from '../data/index.js';

/**
 * The default config asks for Fashion-MNIST without downloading; when it is not on this machine the
 * pipeline still runs on the embedded synthetic set and says so loudly (the accuracy means little then).
 * Only absence falls back: files that are there but fail their checksum or do not parse stop the run, since
 * the user asked for Fashion-MNIST and a synthetic run would look like an answer to that.
 */
export async function withAvailableData<C extends { data: DataSpec }>(
  config: C,
  warn: (line: string) => void,
): Promise<C> {
  if (config.data.name !== 'fashion-mnist') return config;
  try {
    const source = await createDataSource(config.data);
    await source.close?.();
    return config;
  } catch (e) {
    if (!(e instanceof DatasetNotFoundError)) throw e;
    warn('!'.repeat(78));
    warn(`! Fashion-MNIST not found: ${(e as Error).message.split('\n')[0]}`);
    warn('! Falling back to the SYNTHETIC data set. Install it with: apt-get install dataset-fashion-mnist');
    warn('!'.repeat(78));
    return {
      ...config,
      data: {
        name: 'synthetic',
        classes: 10,
        height: 28,
        width: 28,
        channels: 1,
        trainCount: 20000,
        testCount: 2000,
        seed: 0,
        noise: 0.1,
      },
    };
  }
}
