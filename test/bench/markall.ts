/**
 * The way users get activation statistics without actprobe (Polygraphy-style "mark all"): every tapped
 * tensor becomes a graph output, onnxruntime hands each whole map back, and JavaScript computes the
 * statistics afterwards. Same taps, same statistics and the same accumulators as the probe (the reduction is
 * the probe's own JavaScript loop for the model input, stats/nchw-reduce.ts, one pass per map), so
 * `probe_over_markall` compares only where the reductions run: in the graph, or after it in JavaScript.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { appendToGraph } from '../../onnx/patch.js';
import type { PlannedTap } from '../../probe/run/plan.js';
import { createSession, type SessionConfig } from '../../probe/session/create.js';
import { reduceNchw } from '../../probe/stats/nchw-reduce.js';
import { Reservoir } from '../../probe/stats/reservoir.js';
import { TapAccumulator } from '../../probe/stats/tap-accumulator.js';

export interface MarkAll {
  accumulators: TapAccumulator[];
  addBatch(input: Float32Array, count: number): Promise<void>;
  reset(): void;
  release(): Promise<void>;
}

/** `taps`: the probe's planned taps (input first), so both sides see the same tensors. */
export async function prepareMarkAll(
  modelPath: string,
  inputName: string,
  taps: PlannedTap[],
  session?: SessionConfig,
): Promise<MarkAll> {
  const [input, ...layers] = taps;
  const bytes = appendToGraph(new Uint8Array(await readFile(modelPath)), {
    outputs: layers.map((t) => ({ name: t.tensor })),
  });
  const s = await createSession(bytes, session);
  const fresh = (): TapAccumulator[] =>
    taps.map((t, i) => new TapAccumulator(t.channels, t.sigmoid, new Reservoir(4096, 0xace + i)));
  const [C, H, W] = input.shape.slice(1);
  const m: MarkAll = {
    accumulators: fresh(),
    async addBatch(x, count) {
      const out = await s.run({ [inputName]: new ort.Tensor('float32', x, [count, C, H, W]) });
      taps.forEach((t, i) => {
        const data = i === 0 ? x : out[t.tensor]?.data;
        if (!(data instanceof Float32Array))
          throw new Error(`mark-all: onnxruntime returned no float32 "${t.tensor}" for tap ${t.name}.`);
        const r = reduceNchw(data, count, t.channels, t.spatial, t.positions);
        m.accumulators[i].add(count, t.spatial, r.values, r.sample);
      });
    },
    reset() {
      m.accumulators = fresh();
    },
    release: () => s.release(),
  };
  return m;
}
