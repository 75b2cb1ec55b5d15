import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../run-folder/fs-atomic.js';
import { join } from 'node:path';
import type { ExportResult } from './convert.js';
import { INPUT_NAME, OUTPUT_NAME } from './layers/convert-layers.js';

export interface TritonOptions {
  /** Model name in the repository (folder name and config `name`). */
  name: string;
  /** Largest batch Triton may form; the ONNX batch axis is dynamic, so any value works. */
  maxBatchSize?: number;
  /** How long Triton may hold a request to batch it with others. */
  maxQueueDelayMicroseconds?: number;
}

/** Triton model names become folder names and URL segments. */
export function tritonName(raw: string): string {
  const name = raw.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '');
  if (!name) throw new Error(`--triton-name "${raw}": needs at least one letter or digit`);
  return name;
}

/** config.pbtxt: dims exclude the batch axis (max_batch_size > 0 makes it implicit). */
export function tritonConfig(result: ExportResult, opts: TritonOptions): string {
  const { height, width, channels } = result.metadata.inputSize;
  const classes = result.metadata.labels.length;
  return `name: "${tritonName(opts.name)}"
backend: "onnxruntime"
max_batch_size: ${opts.maxBatchSize ?? 64}
input [
  {
    name: "${INPUT_NAME}"
    data_type: TYPE_FP32
    dims: [ ${channels}, ${height}, ${width} ]
  }
]
output [
  {
    name: "${OUTPUT_NAME}"
    data_type: TYPE_FP32
    dims: [ ${classes} ]
    label_filename: "labels.txt"
  }
]
dynamic_batching {
  max_queue_delay_microseconds: ${opts.maxQueueDelayMicroseconds ?? 100}
}
`;
}

/** Writes DIR/<name>/config.pbtxt, DIR/<name>/labels.txt and DIR/<name>/1/model.onnx. */
export async function writeTritonRepository(
  dir: string,
  result: ExportResult,
  onnx: Uint8Array,
  opts: TritonOptions,
): Promise<string> {
  const modelDir = join(dir, tritonName(opts.name));
  await mkdir(join(modelDir, '1'), { recursive: true });
  await writeFileAtomic(join(modelDir, '1', 'model.onnx'), onnx);
  await writeFileAtomic(join(modelDir, 'config.pbtxt'), tritonConfig(result, opts));
  await writeFileAtomic(join(modelDir, 'labels.txt'), `${result.metadata.labels.join('\n')}\n`);
  return modelDir;
}
