import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import type { TrainConfig } from '../config.js';
import { augmentBatch, createDataSource, describeClasses, watchSetForSource } from '../../data/index.js';
import type { DataSource } from '../../data/index.js';
import { buildModel, seedInitialWeights } from '../models/index.js';
import type { ActivityPenalty } from '../models/index.js';
import { Rng } from '../../data/rng.js';
import { appendJsonLine, runPaths, updateManifest } from '../../run-folder/run-folder.js';
import type { ManifestPatch } from '../../run-folder/run-folder.js';
import { checkpointDir, listCheckpoints, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { TrainerState } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import { LayerStatsAccumulator } from './layer-stats.js';
import type { MiniEpochMetrics, NonFiniteRecord } from './metrics-record.js';
import { createOptimizer, withLearningRate } from './optimizer.js';
import { Progress } from './progress.js';
import { EpochSampler } from './sampler.js';
import { scheduleAt } from './schedule.js';
import { NonFiniteError, createTrainStep } from './train-step.js';
import { seedDropout } from './dropout-seed.js';
import { checkBatchFits } from './memory-check.js';

export interface CheckpointEvent {
  miniEpoch: number;
  dir: string;
  metrics: MiniEpochMetrics | null;
  /** The live model (weights as saved in `dir`): a hook may read it, never train or dispose it. */
  model: tf.LayersModel;
  data: DataSource;
  /** True for the checkpoint a resumed run starts from: the hook may already have seen it before the crash. */
  resumed?: boolean;
}

export interface TrainOptions {
  out: string;
  resume?: boolean;
  /** Runs after each checkpoint is on disk (the probe stage attaches here); awaited before training goes on. */
  onCheckpoint?: (event: CheckpointEvent) => Promise<void>;
  log?: (line: string) => void;
  /** Sampled-weights statistics every N steps (update/weight ratio); the last step of a mini-epoch always. */
  statsEvery?: number;
  /** Recorded in manifest.json with the run's first write (backend, versions), so a refusal writes nothing. */
  manifestFields?: ManifestPatch;
  /** Aborted (e.g. by SIGINT): the current step finishes, the manifest is marked interrupted, training stops. */
  signal?: AbortSignal;
}

export interface TrainResult {
  testAccuracy: number;
  miniEpochs: number;
  metrics: MiniEpochMetrics[];
  model: tf.LayersModel;
  data: DataSource;
}

export class TrainingStoppedError extends Error {}

/** Training stopped on request (opts.signal); the message says which checkpoint --resume continues from. */
export class TrainingInterruptedError extends TrainingStoppedError {
  constructor(
    message: string,
    readonly resumeFrom: number,
  ) {
    super(message);
  }
}

/** Trains per the config into the run folder `out`, checkpointing after every mini-epoch. */
export async function runTraining(config: TrainConfig, opts: TrainOptions): Promise<TrainResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const paths = runPaths(opts.out);
  const data = await createDataSource(config.data);
  const { info } = data;
  if (info.classes < 2) {
    throw new Error(
      `data ${info.name} from ${info.origin} has ${info.classes} class${info.classes === 1 ? ` (${info.labels.join(', ')})` : 'es'}: a classifier needs at least 2 (an image folder needs one sub-folder per class)`,
    );
  }
  const done = await listCheckpoints(opts.out);
  if (done.length > 0 && !opts.resume) {
    throw new Error(
      `${opts.out} already holds a run (checkpoints ${done.join(', ')}): pass --resume to continue it, or choose another --out`,
    );
  }

  let model: tf.LayersModel;
  let penalties: ActivityPenalty[];
  let state: TrainerState;
  let optimizer: tf.Optimizer;
  const history: MiniEpochMetrics[] = [];

  if (done.length > 0) {
    const last = done[done.length - 1];
    const ck = await loadCheckpoint(opts.out, last);
    model = ck.model;
    state = ck.state;
    penalties = ck.state.penalties;
    optimizer = createOptimizer(config.optimizer, state.lr);
    if (ck.optimizerWeights.length > 0) await optimizer.setWeights(ck.optimizerWeights);
    checkBatchFits(
      model,
      config.schedule.map((p) => p.batchSize),
      tf.getBackend(),
    );
    await updateManifest(opts.out, { ...opts.manifestFields, status: 'running' });
    history.push(...(await truncateMetrics(paths.metrics, last)));
    log(`resuming from checkpoint ${last} (${state.imagesSeen} images seen)`);
    await opts.onCheckpoint?.({
      miniEpoch: last,
      dir: ck.dir,
      metrics: history[history.length - 1] ?? null,
      model,
      data,
      resumed: true,
    });
  } else {
    const built = buildModel(info, config.model);
    model = built.model;
    seedInitialWeights(model, config.seed); // the config's seed fixes the starting weights too
    penalties = built.penalties;
    // Before the first write: a batch that cannot fit is refused with nothing on disk.
    checkBatchFits(
      model,
      config.schedule.map((p) => p.batchSize),
      tf.getBackend(),
    );
    const first = scheduleAt(config.schedule, 0);
    optimizer = createOptimizer(config.optimizer, first.lr);
    state = {
      version: 1,
      miniEpoch: 0,
      imagesSeen: 0,
      dataPass: 0,
      cursor: 0,
      augmentRng: new Rng(config.seed ^ 0x5bd1e995).state(),
      scheduleIndex: first.index,
      lr: first.lr,
      batchSize: first.batchSize,
      optimizer: config.optimizer.kind,
      penalties,
    };
    await updateManifest(opts.out, {
      ...opts.manifestFields,
      config,
      status: 'running',
      data: {
        name: info.name,
        origin: info.origin,
        classes: info.classes,
        labels: info.labels,
        height: info.height,
        width: info.width,
        channels: info.channels,
      },
      watchSet: await watchSetForSource(data, config.watchImages, config.seed),
      preprocessing: {
        scale: 1 / 255,
        mean: new Array(info.channels).fill(0),
        std: new Array(info.channels).fill(1),
        channelOrder: info.channels === 1 ? 'L' : 'RGB',
      },
    });
    await writeFile(paths.metrics, '');
    // Checkpoint 0 holds the initial weights: activations at initialisation are the first point of every plot.
    const dir = await saveCheckpoint(opts.out, model, optimizer, state);
    await opts.onCheckpoint?.({ miniEpoch: 0, dir, metrics: null, model, data });
  }
  log(
    `model ${model.name}: ${model.countParams()} parameters; data ${info.name} (${info.trainCount} train / ${info.testCount} test, ${info.classes} classes) from ${info.origin}`,
  );
  for (const line of describeClasses(info)) log(line);

  const dropout = seedDropout(model, config.seed);
  const step = createTrainStep(model, penalties, info.classes);
  const stats = new LayerStatsAccumulator(step.layerOfVariable);
  const sampler = new EpochSampler(info.trainCount, config.seed, state.dataPass, state.cursor);
  const augmentRng = new Rng(state.augmentRng);
  const statsEvery = opts.statsEvery ?? 10;
  const augmenting = config.augment.cropPadding > 0 || config.augment.flip;

  const interrupted = async (me: number, stepsDone: number, steps: number): Promise<never> => {
    await updateManifest(opts.out, { status: 'interrupted' });
    const partial =
      stepsDone > 0 && stepsDone < steps
        ? `after step ${stepsDone}/${steps} of mini-epoch ${me + 1} (those steps are not in a checkpoint and will be redone)`
        : `after mini-epoch ${me}`;
    throw new TrainingInterruptedError(
      `training interrupted ${partial}; manifest marked interrupted. --resume continues from checkpoint ${me} (${checkpointDir(opts.out, me)})`,
      me,
    );
  };
  for (let me = state.miniEpoch; me < config.miniEpochs; me++) {
    if (opts.signal?.aborted) await interrupted(me, 0, 0);
    const sched = scheduleAt(config.schedule, me);
    if (sched.lr !== state.lr) {
      optimizer = await withLearningRate(optimizer, config.optimizer, sched.lr);
      log(`mini-epoch ${me + 1}: learning rate ${state.lr} → ${sched.lr}, batch ${sched.batchSize}`);
    }
    const steps = Math.ceil(config.miniEpochImages / sched.batchSize);
    const progress = new Progress(`mini-epoch ${me + 1}/${config.miniEpochs}`, steps * sched.batchSize);
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    let next = data.read('train', sampler.next(sched.batchSize));
    for (let s = 0; s < steps; s++) {
      // A turn of the event loop per step (microseconds against a step's milliseconds): without it a data
      // source that answers from memory keeps the loop busy for a whole mini-epoch and SIGINT waits for it.
      if (opts.signal) await new Promise((r) => setImmediate(r));
      if (opts.signal?.aborted) {
        progress.done();
        await next.catch(() => undefined);
        await interrupted(me, s, steps);
      }
      let batch = await next;
      if (s + 1 < steps) next = data.read('train', sampler.next(sched.batchSize));
      if (augmenting) batch = augmentBatch(batch, info, augmentRng, config.augment);
      const x = tf.tensor4d(batch.images, [batch.count, info.height, info.width, info.channels]);
      const y = tf.tensor1d(batch.labels, 'int32');
      try {
        const sampled = s % statsEvery === 0 || s === steps - 1;
        dropout.seedStep(me, s);
        const r = step.run(x, y, optimizer, sampled);
        stats.addStep(r.gradSq, r.weightSq, r.updateSq);
        lossSum += r.loss * batch.count;
        correct += r.correct;
        progress.update((s + 1) * sched.batchSize, r.loss);
      } catch (e) {
        if (!(e instanceof NonFiniteError)) throw e;
        progress.done();
        await recordNonFinite(opts.out, {
          event: 'non-finite',
          miniEpoch: me + 1,
          step: s + 1,
          where: e.where,
          variable: e.variable,
          message: e.message,
          lastGoodCheckpoint: me,
        });
        throw new TrainingStoppedError(
          `training stopped: ${e.message} at mini-epoch ${me + 1}, step ${s + 1}; checkpoint ${me} is the last good one (see ${paths.failure})`,
        );
      } finally {
        tf.dispose([x, y]);
      }
    }
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    const images = steps * sched.batchSize;
    const evaluation = await evaluate(model, data, config.evalImages);
    const metrics: MiniEpochMetrics = {
      miniEpoch: me + 1,
      imagesSeen: state.imagesSeen + images,
      lr: sched.lr,
      batchSize: sched.batchSize,
      trainLoss: lossSum / images,
      trainAccuracy: correct / images,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.top1,
      ...(evaluation.top5 === undefined ? {} : { testTop5: evaluation.top5 }),
      imagesPerSecond: images / seconds,
      seconds,
      layers: stats.finish(),
    };
    state = {
      ...state,
      miniEpoch: me + 1,
      imagesSeen: metrics.imagesSeen,
      dataPass: sampler.pass,
      cursor: sampler.cursor,
      augmentRng: augmentRng.state(),
      scheduleIndex: sched.index,
      lr: sched.lr,
      batchSize: sched.batchSize,
    };
    // Metrics first, then the checkpoint: a crash in between leaves a line that resume drops and redoes.
    await appendJsonLine(paths.metrics, metrics);
    history.push(metrics);
    const dir = await saveCheckpoint(opts.out, model, optimizer, state);
    log(
      `mini-epoch ${me + 1}/${config.miniEpochs}: train loss ${metrics.trainLoss.toFixed(4)} acc ${metrics.trainAccuracy.toFixed(4)} | test loss ${metrics.testLoss.toFixed(4)} acc ${metrics.testAccuracy.toFixed(4)}${metrics.testTop5 === undefined ? '' : ` top5 ${metrics.testTop5.toFixed(4)}`} | ${metrics.imagesPerSecond.toFixed(0)} img/s`,
    );
    await opts.onCheckpoint?.({ miniEpoch: me + 1, dir, metrics, model, data });
  }
  const final = history[history.length - 1];
  const testAccuracy = final ? final.testAccuracy : (await evaluate(model, data, config.evalImages)).top1;
  return { testAccuracy, miniEpochs: config.miniEpochs, metrics: history, model, data };
}

async function recordNonFinite(out: string, record: NonFiniteRecord): Promise<void> {
  const paths = runPaths(out);
  await appendJsonLine(paths.metrics, record);
  await writeFileAtomic(paths.failure, JSON.stringify(record, null, 2));
  await updateManifest(out, { status: 'failed' });
}

/** Keeps the metrics lines up to checkpoint `last` (later ones belong to an interrupted mini-epoch). */
async function truncateMetrics(path: string, last: number): Promise<MiniEpochMetrics[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const kept = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as MiniEpochMetrics & { event?: string })
    .filter((m) => m.event === undefined && m.miniEpoch <= last);
  await writeFileAtomic(path, kept.map((m) => `${JSON.stringify(m)}\n`).join(''));
  return kept;
}
