import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabelledDataSource } from './labelled.js';
import type { Batch, DatasetInfo, Split } from './types.js';
import { applyLimit, checkIndices } from './util.js';

export const CIFAR10_LABELS = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

export interface Cifar10Options {
  /** Folder with data_batch_1..5.bin and test_batch.bin (or its cifar-10-batches-bin/ sub-folder). */
  dir: string;
  limitTrain?: number;
  limitTest?: number;
}

interface SplitData {
  records: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/**
 * The CIFAR-10 binary version. Records stay as read (label byte + CHW planes, ~180 MB for the full
 * set) and are transposed to NHWC floats only for the examples a `read` asks for.
 */
export async function createCifar10(opts: Cifar10Options): Promise<LabelledDataSource> {
  const dir = await resolveDir(opts.dir);
  const trainFiles: string[] = [];
  for (let b = 1; b <= 5; b++) {
    const file = join(dir, `data_batch_${b}.bin`);
    if (await isFile(file)) {
      if (trainFiles.length !== b - 1)
        throw new Error(
          `cifar10: ${file} exists but data_batch_${trainFiles.length + 1}.bin is missing from ${dir}; restore the missing batch.`,
        );
      trainFiles.push(file);
    }
  }
  if (trainFiles.length === 0) throw missing(join(dir, 'data_batch_1.bin'));
  const testFile = join(dir, 'test_batch.bin');
  if (!(await isFile(testFile))) throw missing(testFile);

  const train = await loadSplit(trainFiles, opts.limitTrain, 'cifar10 limitTrain');
  const test = await loadSplit([testFile], opts.limitTest, 'cifar10 limitTest');
  const info: DatasetInfo = {
    name: 'cifar10',
    height: SIDE,
    width: SIDE,
    channels: 3,
    classes: 10,
    labels: [...CIFAR10_LABELS],
    trainCount: train.count,
    testCount: test.count,
    origin: dir,
  };
  const splits: Record<Split, SplitData> = { train, test };
  return {
    info,
    async read(split: Split, indices: ArrayLike<number>): Promise<Batch> {
      const s = splits[split];
      checkIndices('cifar10', split, indices, s.count);
      const images = new Float32Array(indices.length * 3 * PLANE);
      const labels = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) {
        const rec = indices[i] * RECORD + 1;
        const dst = i * 3 * PLANE;
        labels[i] = s.labels[indices[i]];
        for (let p = 0; p < PLANE; p++) {
          for (let c = 0; c < 3; c++) images[dst + p * 3 + c] = s.records[rec + c * PLANE + p] / 255;
        }
      }
      return { images, labels, count: indices.length };
    },
    async labels(split: Split): Promise<Int32Array> {
      return Int32Array.from(splits[split].labels);
    },
  };
}

async function loadSplit(files: string[], limit: number | undefined, field: string): Promise<SplitData> {
  const parts: Uint8Array[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new Error(
        `cifar10: ${file} is ${bytes.length} bytes, not a whole number of ${RECORD}-byte records; it is truncated or not the binary version (cifar-10-binary.tar.gz).`,
      );
    }
    for (let r = 0; r < bytes.length / RECORD; r++) {
      const label = bytes[r * RECORD];
      if (label > 9)
        throw new Error(
          `cifar10: ${file} record ${r} has label ${label}, outside 0..9; the file is corrupt or is CIFAR-100.`,
        );
    }
    parts.push(bytes);
  }
  const total = parts.reduce((n, p) => n + p.length / RECORD, 0);
  const count = applyLimit(total, limit, field);
  // Copy only the kept records so a small limit doesn't pin all five batch files in memory.
  const records = new Uint8Array(count * RECORD);
  let offset = 0;
  for (const p of parts) {
    const take = Math.min(p.length, records.length - offset);
    records.set(p.subarray(0, take), offset);
    offset += take;
  }
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = records[i * RECORD];
  return { records, labels, count };
}

async function resolveDir(dir: string): Promise<string> {
  const nested = join(dir, 'cifar-10-batches-bin');
  if (await isFile(join(nested, 'test_batch.bin'))) return nested;
  return dir;
}

function missing(file: string): Error {
  return new Error(
    `cifar10: ${file} not found. Download and unpack the binary version (cifar-10-binary.tar.gz) and point "dir" at its cifar-10-batches-bin folder.`,
  );
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
