/**
 * The probe section of `npm run bench`: the probe against plain inference and against the naive way, on the
 * project's own model M and on the nets users compare with (probe-models.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intraOpThreads } from '../../probe/session/threads.js';
import type { Figures } from './figures.js';
import { alexnet224, modelM, squeezenetDynamic } from './probe-models.js';
import { measureProbeOverhead, type ProbeOverhead } from './probe-overhead.js';

export type ProbeModel = 'model-m' | 'squeezenet' | 'alexnet';

const meta = (model: string, p: ProbeOverhead, extra: Record<string, string | number> = {}) => ({
  model,
  batch: p.batchSize,
  threads: intraOpThreads(),
  ep: p.executionProvider,
  images: p.images,
  taps: p.taps,
  ...extra,
});

export async function probeSection(f: Figures, models: ReadonlySet<ProbeModel>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'actprobe-bench-'));
  try {
    if (models.has('model-m')) {
      const path = await modelM(dir);
      const p = await measureProbeOverhead(path, { images: 256, kinds: ['probe', 'markall'] });
      const m = meta('model-m 28×28×1', p);
      f.add(
        'probe_over_plain',
        p.probe_over_plain,
        `default probe (every statistic on every image), ${p.taps} taps, 256 images / plain inference (goal ≤ 1.3)`,
        m,
      );
      f.add(
        'probe_graph_over_plain',
        p.probe_graph_ms / p.plain_ms,
        `of that pass: the tapped graph's onnxruntime runs alone / plain (the JavaScript side took ${p.probe_js_ms.toFixed(1)} ms of ${p.probe_ms.toFixed(1)})`,
        m,
      );
      f.add(
        'probe_over_markall',
        p.probe_over_markall,
        `probe / mark-all (every tapped tensor a graph output, statistics in JavaScript: ${p.markall_ms.toFixed(0)} ms vs ${p.probe_ms.toFixed(0)} ms) (goal ≤ 0.7)`,
        m,
      );
      const light = await measureProbeOverhead(path, { images: 256, fullStatImages: 64 });
      f.add(
        'probe_light_over_plain',
        light.probe_over_plain,
        'probe --full-stats 64 (max/mean on all, the rest on 64 images) / plain',
        meta('model-m 28×28×1', light, { fullStatImages: 64 }),
      );
    }
    // The big nets: fewer images and rounds (one pass is ≈ 1 s here), batch 16 as users run them.
    const big = { images: 64, batchSize: 16, rounds: 3, sessions: 2 } as const;
    if (models.has('squeezenet')) {
      const p = await measureProbeOverhead(await squeezenetDynamic(dir), big);
      f.add(
        'probe_over_plain_squeezenet',
        p.probe_over_plain,
        `pretrained SqueezeNet 1.1, 224×224, ${p.taps} taps, ${p.images} images (plain ${p.plain_ms.toFixed(0)} ms, probe ${p.probe_ms.toFixed(0)} ms: graph ${p.probe_graph_ms.toFixed(0)}, JavaScript ${p.probe_js_ms.toFixed(0)}) (goal ≤ 2.0)`,
        meta('squeezenet1.1 224×224×3 (assets/reference)', p),
      );
    }
    if (models.has('alexnet')) {
      const p = await measureProbeOverhead(await alexnet224(dir), big);
      f.add(
        'probe_over_plain_alexnet',
        p.probe_over_plain,
        `alexnet preset width 1, 224×224, ${p.taps} taps, ${p.images} images (plain ${p.plain_ms.toFixed(0)} ms, probe ${p.probe_ms.toFixed(0)} ms: graph ${p.probe_graph_ms.toFixed(0)}, JavaScript ${p.probe_js_ms.toFixed(0)}) (goal ≤ 1.15)`,
        meta('alexnet preset width 1, 224×224×3, 1000 classes', p),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
