import * as tf from '@tensorflow/tfjs';
import type { DataSource } from '../../data/index.js';

export interface Evaluation {
  loss: number;
  top1: number;
  /** Only when the task has more than 5 classes. */
  top5?: number;
  images: number;
}

/** Inference-mode pass over the first `limit` test images (0 = all), in batches. */
export async function evaluate(
  model: tf.LayersModel,
  data: DataSource,
  limit: number,
  batchSize = 256,
): Promise<Evaluation> {
  const { height, width, channels, classes, testCount } = data.info;
  const total = limit > 0 ? Math.min(limit, testCount) : testCount;
  if (total === 0) throw new Error(`data source ${data.info.name} has no test images to evaluate on`);
  const k = Math.min(5, classes);
  let lossSum = 0;
  let top1 = 0;
  let top5 = 0;
  for (let start = 0; start < total; start += batchSize) {
    const n = Math.min(batchSize, total - start);
    const batch = await data.read(
      'test',
      Int32Array.from({ length: n }, (_, i) => start + i),
    );
    const sums = tf.tidy(() => {
      const probs = model.predict(tf.tensor4d(batch.images, [n, height, width, channels])) as tf.Tensor2D;
      const labels = tf.tensor1d(batch.labels, 'int32');
      const picked = tf.sum(tf.mul(tf.oneHot(labels, classes), probs), 1);
      const loss = tf.sum(tf.neg(tf.log(tf.clipByValue(picked, 1e-7, 1))));
      const { indices } = tf.topk(probs, k);
      const hits = tf.cast(tf.equal(indices, tf.expandDims(labels, 1)), 'float32');
      return tf.stack([loss, tf.sum(tf.slice(hits, [0, 0], [n, 1])), tf.sum(hits)]);
    });
    const [l, t1, t5] = sums.dataSync();
    sums.dispose();
    lossSum += l;
    top1 += t1;
    top5 += t5;
  }
  return { loss: lossSum / total, top1: top1 / total, ...(classes > 5 ? { top5: top5 / total } : {}), images: total };
}
