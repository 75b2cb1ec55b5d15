export type { Batch, DatasetInfo, DataSource, Split } from './types.js';
export { createDataSource, dataSourceNames, dataSpecSchema, parseDataSpec } from './registry.js';
export type { DataSourceName, DataSpec, ResolvedDataSpec } from './registry.js';
export { hasLabels } from './labelled.js';
export type { LabelledDataSource } from './labelled.js';
export {
  createFashionMnist,
  DatasetNotFoundError,
  defaultCacheDir,
  FASHION_MNIST_BASE_URL,
  FASHION_MNIST_FILES,
  FASHION_MNIST_LABELS,
  FASHION_MNIST_SYSTEM_DIR,
} from './fashion-mnist.js';
export type { FashionMnistFile, FashionMnistOptions } from './fashion-mnist.js';
export { createSynthetic, SYNTHETIC_DEFAULTS, syntheticLabel } from './synthetic.js';
export type { SyntheticOptions } from './synthetic.js';
export { createImageFolder, decodeImage, IMAGE_FOLDER_DEFAULTS } from './image-folder.js';
export type { ImageFolderOptions } from './image-folder.js';
export { createCifar10, CIFAR10_LABELS } from './cifar10.js';
export type { Cifar10Options } from './cifar10.js';
export { encodeIdx, parseIdx, readIdx } from './idx.js';
export type { IdxTensor } from './idx.js';
export { ChecksumError, downloadVerified } from './download.js';
export { describeClasses } from './class-counts.js';
export { augmentBatch } from './augment.js';
export type { AugmentOptions } from './augment.js';
export { watchSetForSource, watchSetIndices } from './watch-set.js';
