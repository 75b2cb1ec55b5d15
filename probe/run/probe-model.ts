/**
 * One probe pass: model + images → the probe JSON. Memory is one batch of inputs plus per-channel
 * accumulators and a fixed reservoir per tap, whatever the image count.
 */
import type { ImageSource } from '../input/source.js';
import { toModelInput } from '../input/preprocess.js';
import type { ProbeResult } from '../schema.js';
import { layerEntry } from './layer-entry.js';
import { PROBE_DEFAULTS, prepareProbe, type ProbeRunner, type RunnerOptions } from './runner.js';

export { PROBE_DEFAULTS };

export interface ProbeOptions extends RunnerOptions {
  source: ImageSource;
  /** Shown with the result, e.g. "structure only, not pretrained". */
  label?: string;
  miniEpoch?: number;
  log?: (line: string) => void;
}

export type ProbeOutcome = ProbeResult & { notes: string[] };

export async function probeModel(opts: ProbeOptions): Promise<ProbeOutcome> {
  const started = performance.now();
  const runner = await prepareProbe(opts);
  try {
    const { channels: C, height: H, width: W, crop } = runner.card.input;
    for await (const b of opts.source.batches(runner.batchSize, {
      height: H,
      width: W,
      channels: C,
      ...(crop ? { crop } : {}),
    })) {
      await runner.addBatch(toModelInput(b, runner.card), b.count, b.ids);
      opts.log?.(`probe: ${runner.images}/${opts.source.count} images`);
    }
  } finally {
    await runner.release();
  }
  if (runner.images === 0) throw new Error(`No images came from ${opts.source.describe}; nothing to probe.`);
  return assembleResult(runner, opts, (performance.now() - started) / 1000);
}

export function assembleResult(
  r: ProbeRunner,
  opts: Pick<ProbeOptions, 'model' | 'label' | 'miniEpoch' | 'samplesPerImage' | 'reservoirCapacity'> & {
    source: { describe: string };
  },
  seconds: number,
): ProbeOutcome {
  const nodes = r.model.nodes.length;
  const depth = (index: number): number => (nodes > 1 ? index / (nodes - 1) : 0);
  const entries = r.taps.map((t, i) => layerEntry(t, r.accumulators[i], r.watch[i], i === 0 ? 0 : depth(t.index)));
  const label = opts.label ?? (r.card.pretrained ? undefined : r.card.label);
  const capacity = opts.reservoirCapacity ?? PROBE_DEFAULTS.reservoirCapacity;
  return {
    schemaVersion: 1,
    model: opts.model,
    executionProvider: r.session.report.used,
    images: r.images,
    layers: entries.slice(1),
    providerReport: r.session.report,
    batchSize: r.batchSize,
    card: r.card.name,
    ...(label ? { label } : {}),
    source: opts.source.describe,
    input: entries[0],
    watchImages: r.watchIds,
    coverage: {
      fullStatImages: r.accumulators[0].imagesFull,
      note:
        r.accumulators[0].imagesFull === r.images
          ? 'every statistic covers every image'
          : `max and mean cover all ${r.images} images; min, std, zero and saturation fractions and percentiles cover the first ${r.accumulators[0].imagesFull}`,
    },
    percentiles: {
      method: 'reservoir',
      capacity,
      positionsPerImage: opts.samplesPerImage ?? PROBE_DEFAULTS.samplesPerImage,
      note: `p1/p50/p99 over all channels from a uniform reservoir of ${capacity} values drawn at fixed per-image positions; rank error ≈ sqrt(p(1-p)/${capacity}) (one sigma).`,
    },
    seconds,
    ...(opts.miniEpoch !== undefined ? { miniEpoch: opts.miniEpoch } : {}),
    notes: r.plan.notes,
  };
}
