/**
 * A prepared probe: sessions for the tapped model and the per-tap accumulators. `addBatch` takes model-ready
 * NCHW input, so the bench times exactly the probe's share (inference + reductions + accumulation).
 * The first `fullStatImages` images run the full-statistics graph (a batch straddling the line is split), the rest
 * the light one.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { ModelCard } from '../cards/card.js';
import { resolveCard } from '../cards/resolve.js';
import { decodeModel, type OnnxModel } from '../../onnx/model.js';
import { createSession, type ProbeSession, type SessionConfig } from '../session/create.js';
import { Reservoir } from '../stats/reservoir.js';
import { reduceNchw } from '../stats/nchw-reduce.js';
import { concatChannels, concatSamples, packedRow, pickFields } from '../stats/packed.js';
import { TapAccumulator, type PackedStats } from '../stats/tap-accumulator.js';
import { selectTaps, type TapSelection } from '../taps/select.js';
import type { TapOutputs } from '../taps/tap-graph.js';
import { planGraph, type GraphPlan, type PlannedTap } from './plan.js';
import type { WatchRows } from './layer-entry.js';

export interface RunnerOptions {
  model: string;
  card?: string | ModelCard;
  taps?: TapSelection;
  session?: SessionConfig;
  /** Dynamic-batch models only; a model with batch fixed to 1 runs one image at a time. */
  batchSize?: number;
  watch?: number;
  /** Images that get min/std/zero/saturation/percentiles (at least the watch images); Infinity = all. */
  fullStatImages?: number;
  samplesPerImage?: number;
  reservoirCapacity?: number;
}

type Tunables = 'batchSize' | 'watch' | 'fullStatImages' | 'samplesPerImage' | 'reservoirCapacity';

export const PROBE_DEFAULTS: Readonly<Required<Pick<RunnerOptions, Tunables>>> = {
  batchSize: 64,
  watch: 8,
  fullStatImages: Infinity,
  samplesPerImage: 64,
  reservoirCapacity: 4096,
};

export interface ProbeRunner {
  model: OnnxModel;
  card: ModelCard;
  plan: GraphPlan;
  session: ProbeSession;
  batchSize: number;
  /** Input tap first, then the layer taps, in graph order. */
  taps: PlannedTap[];
  accumulators: TapAccumulator[];
  watch: WatchRows[];
  watchIds: string[];
  images: number;
  addBatch(input: Float32Array, count: number, ids: string[]): Promise<void>;
  /** Forgets everything accumulated (the sessions stay): the bench repeats passes with it. */
  reset(): void;
  release(): Promise<void>;
}

export async function prepareProbe(opts: RunnerOptions): Promise<ProbeRunner> {
  const o = {
    ...PROBE_DEFAULTS,
    ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
  } as RunnerOptions & Required<Pick<RunnerOptions, Tunables>>;
  const bytes = new Uint8Array(
    await readFile(opts.model).catch((err: Error) => {
      throw new Error(`Cannot read model ${opts.model}: ${err.message}`);
    }),
  );
  const model = decodeModel(bytes, opts.model);
  const card = typeof opts.card === 'object' ? opts.card : await resolveCard(opts.card, model, opts.model);
  const batchDim = model.inputs.find((i) => i.name === card.input.name)?.shape?.[0];
  if (typeof batchDim === 'number' && batchDim > 1) {
    throw new Error(
      `${opts.model} fixes its batch size to ${batchDim}; the probe needs a dynamic batch dimension (or batch 1).`,
    );
  }
  const plan = await planGraph(bytes, model, card, selectTaps(model, opts.taps), opts.session ?? {}, o.samplesPerImage);
  const taps = [plan.input, ...plan.taps];
  // The full-statistics session runs only the first batches; it must not spin next to the light one.
  const onlyFull = o.fullStatImages === Infinity;
  const full = await createSession(plan.fullBytes, {
    ...opts.session,
    spinning: onlyFull ? opts.session?.spinning : false,
  });
  let lightSession: ProbeSession | null = null;
  const { channels: C, height: H, width: W } = card.input;
  const fresh = (): TapAccumulator[] =>
    taps.map((t, i) => new TapAccumulator(t.channels, t.sigmoid, new Reservoir(o.reservoirCapacity, 0xace + i)));
  /** A Concat tap from its inputs' outputs, side by side (taps/concat-taps.ts). */
  const addAssembled = (
    i: number,
    t: PlannedTap,
    out: ort.InferenceSession.OnnxValueMapType,
    count: number,
    isFull: boolean,
    keep: number,
  ): void => {
    const parts = t.parts!.map((j) => taps[j]);
    const tier = (p: PlannedTap): TapOutputs => (isFull ? p.full : p.light);
    const fields = tier(t).fields ?? [];
    const side = (name: 'totals' | 'stats') =>
      parts.map((p) => ({ data: output(out, tier(p)[name], p), channels: p.channels }));
    const sample = isFull
      ? concatSamples(
          parts.map((p) => ({
            sample: output(out, tier(p).sample, p),
            perImage: p.positions.length,
            size: p.channels * p.spatial,
          })),
          count,
          t.positions.length,
        )
      : undefined;
    runner.accumulators[i].addTotals(
      count,
      t.spatial,
      { data: concatChannels(side('totals'), 2, fields.length), fields },
      sample,
    );
    if (keep === 0) return;
    const packed: PackedStats = { data: concatChannels(side('stats'), count, fields.length), fields };
    for (let n = 0; n < keep; n++) {
      runner.watch[i].min.push(packedRow(packed, 'min', n, t.channels));
      runner.watch[i].max.push(packedRow(packed, 'max', n, t.channels));
    }
  };
  const runPart = async (input: Float32Array, count: number, ids: string[], isFull: boolean): Promise<void> => {
    if (!isFull && !lightSession) lightSession = await createSession(plan.lightBytes, opts.session);
    const session = isFull || !lightSession ? full : lightSession;
    const out = await session.run({ [card.input.name]: new ort.Tensor('float32', input, [count, C, H, W]) });
    const keep = isFull ? Math.max(0, Math.min(count, o.watch - runner.images)) : 0;
    taps.forEach((t, i) => {
      const o = isFull ? t.full : t.light;
      const w = runner.watch[i];
      if (t === plan.input) {
        const r = reduceNchw(input, count, C, H * W, t.positions);
        runner.accumulators[i].add(
          count,
          t.spatial,
          isFull ? r.values : pickFields(r.values, ['max', 'mean'], count, t.channels),
          isFull ? r.sample : undefined,
        );
        for (let n = 0; n < keep; n++) {
          w.min.push(packedRow(r.values, 'min', n, t.channels));
          w.max.push(packedRow(r.values, 'max', n, t.channels));
        }
        return;
      }
      if (o.raw !== undefined) {
        const raw = output(out, o.raw, t);
        runner.accumulators[i].addRaw(
          count,
          raw,
          isFull,
          isFull ? gatherRows(raw, count, t.channels, t.positions) : undefined,
        );
        for (let n = 0; n < keep; n++) {
          w.min.push(row(raw, n, t.channels));
          w.max.push(row(raw, n, t.channels));
        }
        return;
      }
      if (t.parts !== undefined) {
        addAssembled(i, t, out, count, isFull, keep);
        return;
      }
      const packed: PackedStats = { data: output(out, o.stats, t), fields: o.fields ?? [] };
      const sample = o.sample === undefined ? undefined : output(out, o.sample, t);
      // The batch folds in from its totals (2 rows instead of N); the per-image rows serve the watch images.
      runner.accumulators[i].addTotals(
        count,
        t.spatial,
        { data: output(out, o.totals, t), fields: packed.fields },
        sample,
      );
      for (let n = 0; n < keep; n++) {
        w.min.push(packedRow(packed, 'min', n, t.channels));
        w.max.push(packedRow(packed, 'max', n, t.channels));
      }
    });
    runner.watchIds.push(...ids.slice(0, keep));
    runner.images += count;
  };
  const runner: ProbeRunner = {
    model,
    card,
    plan,
    session: full,
    taps,
    batchSize: batchDim === 1 ? 1 : o.batchSize,
    accumulators: fresh(),
    watch: taps.map(() => ({ min: [], max: [] })),
    watchIds: [],
    images: 0,
    async addBatch(input, count, ids) {
      // Full statistics for the first max(fullStatImages, watch, 1) images; a batch straddling that line is split.
      const fullLeft = Math.max(0, Math.max(o.fullStatImages, o.watch, 1) - runner.images);
      const k = Math.min(count, fullLeft);
      if (k > 0) await runPart(input.subarray(0, k * C * H * W), k, ids.slice(0, k), true);
      if (k < count) await runPart(input.subarray(k * C * H * W), count - k, ids.slice(k), false);
    },
    reset() {
      runner.accumulators = fresh();
      runner.watch = taps.map(() => ({ min: [], max: [] }));
      runner.watchIds = [];
      runner.images = 0;
    },
    async release() {
      await full.release();
      await lightSession?.release();
    },
  };
  return runner;
}

function row(a: ArrayLike<number>, n: number, c: number): number[] {
  const out = new Array<number>(c);
  for (let k = 0; k < c; k++) out[k] = a[n * c + k];
  return out;
}

/** One graph output of a tap as float32 values. */
function output(out: ort.InferenceSession.OnnxValueMapType, name: string | undefined, t: PlannedTap): Float32Array {
  const v = name === undefined ? undefined : out[name];
  if (!v || !(v.data instanceof Float32Array)) {
    throw new Error(
      `onnxruntime returned no float32 "${name ?? '(unplanned output)'}" for tap ${t.name}; the patched graph lost an output.`,
    );
  }
  return v.data;
}

/** The reservoir's fixed positions of each image of a whole [N, C] tap. */
function gatherRows(raw: Float32Array, count: number, channels: number, positions: number[]): Float32Array {
  const s = positions.length;
  const sample = new Float32Array(count * s);
  for (let n = 0; n < count; n++) for (let j = 0; j < s; j++) sample[n * s + j] = raw[n * channels + positions[j]];
  return sample;
}
