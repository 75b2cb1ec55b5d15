/** What every data source hands the trainer: NHWC float32 pixels in [0, 1] and integer labels. */
export interface Batch {
  /** NHWC, `count * height * width * channels` values in [0, 1]. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export interface DatasetInfo {
  name: string;
  height: number;
  width: number;
  channels: number;
  classes: number;
  /** Human class names, index = label. */
  labels: string[];
  trainCount: number;
  testCount: number;
  /** Where the data came from (path or "procedural"), for the run manifest. */
  origin: string;
  /** Examples per class (index = label) in each split, where the source knows them without decoding. */
  classCounts?: Record<Split, number[]>;
}

export type Split = 'train' | 'test';

export interface DataSource {
  readonly info: DatasetInfo;
  /** Reads the given example indices of a split, in that order. */
  read(split: Split, indices: ArrayLike<number>): Promise<Batch>;
  /** Frees file handles or caches; safe to call twice. */
  close?(): Promise<void>;
}
