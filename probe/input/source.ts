/** Where probe images come from: a folder, a data source, or arrays (tests, bench). NHWC pixels in [0, 1]. */
export interface ImageBatch {
  /** NHWC float32 in [0, 1]. */
  pixels: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** One id per image (file name, `test[123]`, …). */
  ids: string[];
}

export interface ImageSource {
  /** For the report, e.g. `images:/data/val (256 files)`. */
  describe: string;
  /** Images the source will yield (the first `watch` of them are the watch images). */
  count: number;
  /**
   * Yields batches in a fixed order. `size` is the model's input size: sources that decode files resize
   * there (better quality); the others yield their native size and preprocessing resizes.
   */
  batches(batchSize: number, size: TargetSize): AsyncIterable<ImageBatch>;
}

/** The model's input size; `crop`: resize the shorter side to `shorterSide`, then centre-crop (model cards' `input.crop`). */
export interface TargetSize {
  height: number;
  width: number;
  channels: 1 | 3;
  crop?: { shorterSide: number };
}

/** Images already in memory (tests and the bench). */
export function arraySource(
  pixels: Float32Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  describe = 'arrays',
): ImageSource {
  if (pixels.length !== count * height * width * channels) {
    throw new Error(
      `arraySource: ${pixels.length} values do not make ${count} images of ${height}×${width}×${channels}.`,
    );
  }
  const size = height * width * channels;
  return {
    describe,
    count,
    async *batches(batchSize: number) {
      for (let i = 0; i < count; i += batchSize) {
        const n = Math.min(batchSize, count - i);
        yield {
          pixels: pixels.subarray(i * size, (i + n) * size),
          count: n,
          height,
          width,
          channels,
          ids: Array.from({ length: n }, (_, k) => `${describe}[${i + k}]`),
        };
      }
    },
  };
}
