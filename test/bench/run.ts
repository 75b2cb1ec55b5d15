/**
 * `npm run bench`: performance figures measured side by side in one run, printed as a table and written
 * to bench.json (DESIGN.md). Seconds per measurement: BENCH_SECONDS (default 10).
 */
import { selectBackend, describeBackend } from '../../train/backend/index.js';
import { printTable, writeBenchJson } from './figures.js';
import { pytorchModelMImagesPerSecond, tfjsTrainImagesPerSecond } from './train-throughput.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const report = await selectBackend('auto');
console.log(describeBackend(report));
const mnist = { height: 28, width: 28, channels: 1, classes: 10 };

const pytorch = pytorchModelMImagesPerSecond(seconds);
const trainImgS = tfjsTrainImagesPerSecond({ preset: 'model-m' }, mnist, 64, seconds);
const seednet = tfjsTrainImagesPerSecond({ preset: 'seednet', width: 0.25 }, mnist, 64, seconds / 2);
const alexnet = tfjsTrainImagesPerSecond({ preset: 'alexnet', width: 0.0625, stemKernel: 5, stemStride: 2 }, { height: 64, width: 64, channels: 3, classes: 110 }, 64, seconds / 2);

const figures: Record<string, number> = { train_img_s: trainImgS, train_img_s_seednet: seednet, train_img_s_alexnet: alexnet };
const rows: Array<[string, number, string]> = [
  ['train_img_s', trainImgS, `model M, batch 64, Adam, tfjs ${report.backend}`],
  ['train_img_s_seednet', seednet, 'seednet width 0.25, 28×28×1, batch 64'],
  ['train_img_s_alexnet', alexnet, 'alexnet width 1/16, 64×64×3, 110 classes, batch 64'],
];
if (pytorch.imgPerSec !== null) {
  figures.train_img_s_pytorch = pytorch.imgPerSec;
  figures.train_ratio_vs_pytorch = trainImgS / pytorch.imgPerSec;
  rows.push(['train_img_s_pytorch', pytorch.imgPerSec, pytorch.note], ['train_ratio_vs_pytorch', trainImgS / pytorch.imgPerSec, 'tfjs / PyTorch (goal ≥ 1.0, issue 3)']);
} else {
  rows.push(['train_img_s_pytorch', Number.NaN, pytorch.note]);
}
printTable(rows);
await writeBenchJson(figures);
console.log('wrote bench.json');
