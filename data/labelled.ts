import type { DataSource, Split } from './types.js';

/**
 * Sources in this folder can list a split's labels without decoding images. That is not part
 * of the agreed DataSource interface, so callers reach it through `hasLabels`.
 */
export interface LabelledDataSource extends DataSource {
  labels(split: Split): Promise<Int32Array>;
}

export function hasLabels(source: DataSource): source is LabelledDataSource {
  return typeof (source as Partial<LabelledDataSource>).labels === 'function';
}
