/**
 * `probe_over_plain` (DESIGN.md): a probe pass over 256 images (inference + in-graph reductions + streaming
 * accumulation in JS) divided by plain onnxruntime inference of the same images, same batch, threads and
 * optimisation level. Inputs are preprocessed once beforehand (both sides would pay that equally).
 *
 * onnxruntime on this machine kind settles each session into one of two speeds (docs/DESIGN.md, Measurements), so each kind gets
 * several fresh sessions and its fastest settled speed (median over rounds) is compared.
 * Optionally also timed (`kinds`): `exact`, every statistic over every image (`--full-stats all`), and
 * `markall`, the same taps made graph outputs and reduced in JavaScript (markall.ts).
 */
import * as ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { decodeModel } from '../../onnx/model.js';
import { cardFromModel } from '../../probe/cards/resolve.js';
import { createSession, type SessionConfig } from '../../probe/session/create.js';
import { prepareProbe, PROBE_DEFAULTS, type ProbeRunner } from '../../probe/run/runner.js';
import { prepareMarkAll } from './markall.js';

export interface ProbeOverheadOptions {
  images?: number;
  batchSize?: number;
  rounds?: number;
  /** Sessions per kind (plain, probe, exact probe). */
  sessions?: number;
  session?: SessionConfig;
  /** Full-statistics images of the measured probe (default: the probe's default). */
  fullStatImages?: number;
  /** What to time besides plain inference (default: the probe only). */
  kinds?: ReadonlyArray<'probe' | 'exact' | 'markall'>;
}

export interface ProbeOverhead {
  probe_over_plain: number;
  /** NaN when not measured (see `kinds`). */
  probe_exact_over_plain: number;
  probe_over_markall: number;
  plain_ms: number;
  probe_ms: number;
  probe_exact_ms: number;
  markall_ms: number;
  /** Of the measured probe pass (its fastest settled session): onnxruntime runs of the tapped graph, and the JavaScript rest (accumulation, reservoir, input reduction). */
  probe_graph_ms: number;
  probe_js_ms: number;
  full_stat_images: number;
  taps: number;
  images: number;
  batchSize: number;
  executionProvider: string;
}

export async function measureProbeOverhead(modelPath: string, opts: ProbeOverheadOptions = {}): Promise<ProbeOverhead> {
  const images = opts.images ?? 256;
  const batchSize = opts.batchSize ?? PROBE_DEFAULTS.batchSize;
  const rounds = opts.rounds ?? 5;
  const sessions = opts.sessions ?? 3;
  const fullStats = opts.fullStatImages ?? PROBE_DEFAULTS.fullStatImages;
  const model = decodeModel(new Uint8Array(await readFile(modelPath)), modelPath);
  const card = cardFromModel(model, modelPath);
  const { channels: C, height: H, width: W, name } = card.input;
  let seed = 12345;
  const batches: Float32Array[] = [];
  for (let i = 0; i < images; i += batchSize) {
    const n = Math.min(batchSize, images - i);
    batches.push(
      Float32Array.from({ length: n * C * H * W }, () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32),
    );
  }
  const countOf = (b: Float32Array): number => b.length / (C * H * W);
  let runner: ProbeRunner | null = null;
  // One kind alive at a time (idle onnxruntime threads spin and would slow whichever session runs next);
  // the kinds take turns `sessions` times so drift on a shared host hits them alike; each kind's best counts.
  const kinds = ['plain', ...(opts.kinds ?? ['probe'])] as const;
  const best: Record<Kind, number> = { plain: Infinity, probe: Infinity, exact: Infinity, markall: Infinity };
  let split = { graph: 0, js: 0 };
  const phase = async (kind: Kind): Promise<number> => {
    let pass: () => Promise<void>;
    let release: () => Promise<void>;
    if (kind === 'markall') {
      // The probe's own taps (a throwaway runner plans them), so both sides reduce the same tensors.
      const planned = runner ?? (await prepareProbe({ model: modelPath, card, session: opts.session, batchSize }));
      if (!runner) await planned.release();
      const m = await prepareMarkAll(modelPath, name, planned.taps, opts.session);
      pass = async () => {
        m.reset();
        for (const b of batches) await m.addBatch(b, countOf(b));
      };
      release = () => m.release();
    } else if (kind === 'plain') {
      const s = await createSession(modelPath, opts.session);
      pass = async () => {
        for (const b of batches) await s.run({ [name]: new ort.Tensor('float32', b, [countOf(b), C, H, W]) });
      };
      release = () => s.release();
    } else {
      const r = await prepareProbe({
        model: modelPath,
        card,
        session: opts.session,
        batchSize,
        fullStatImages: kind === 'exact' ? Infinity : fullStats,
      });
      runner ??= r;
      // Time spent in the (full-statistics) session's runs; the light session, when there is one, counts as JavaScript.
      let inRun = 0;
      const run = r.session.run.bind(r.session);
      r.session.run = async (feeds) => {
        const t = performance.now();
        try {
          return await run(feeds);
        } finally {
          inRun += performance.now() - t;
        }
      };
      pass = async () => {
        r.reset(); // the same full/light split in every round
        inRun = 0;
        const t = performance.now();
        for (const b of batches) await r.addBatch(b, countOf(b), []);
        if (kind === 'probe') passSplits.push({ total: performance.now() - t, graph: inRun });
      };
      release = () => r.release();
    }
    const passSplits: Array<{ total: number; graph: number }> = [];
    try {
      await pass();
      passSplits.length = 0;
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        await pass();
        times.push(performance.now() - t);
      }
      const m = median(times);
      if (kind === 'probe' && m < best.probe) {
        // The median pass's own split, scaled to the median's wall time (passSplits[i] belongs to times[i]).
        const mid = passSplits[times.indexOf(m)];
        split = { graph: (mid.graph / mid.total) * m, js: (1 - mid.graph / mid.total) * m };
      }
      return m;
    } finally {
      await release();
    }
  };
  for (let k = 0; k < sessions; k++) {
    for (const kind of kinds) best[kind] = Math.min(best[kind], await phase(kind));
  }
  const r = runner as ProbeRunner | null;
  const over = (a: number, b: number): number => (Number.isFinite(a) && Number.isFinite(b) ? a / b : Number.NaN);
  return {
    probe_over_plain: over(best.probe, best.plain),
    probe_exact_over_plain: over(best.exact, best.plain),
    probe_over_markall: over(best.probe, best.markall),
    plain_ms: best.plain,
    probe_ms: best.probe,
    probe_exact_ms: best.exact,
    markall_ms: best.markall,
    probe_graph_ms: split.graph,
    probe_js_ms: split.js,
    full_stat_images: Math.min(images, Math.max(fullStats, PROBE_DEFAULTS.watch)),
    taps: r ? r.taps.length : 0,
    images,
    batchSize,
    executionProvider: r ? r.session.report.used : 'unknown',
  };
}

type Kind = 'plain' | 'probe' | 'exact' | 'markall';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
