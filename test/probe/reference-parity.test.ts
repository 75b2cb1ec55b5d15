/**
 * The shipped pretrained SqueezeNet 1.1 on the shipped photos: the probe's per-channel statistics (min, max,
 * mean, std, zero share) of every tapped layer against an independent evaluation of the same graph in PyTorch
 * (test/probe/fixtures/torch_eval.py: weights read with onnx.numpy_helper, ops run with torch.nn.functional).
 * The probe runs as a user types it (`npm run probe -- squeezenet1.1 --dataset photos --json OUT`); both sides
 * get the same model input, so this checks the probe (taps, in-graph reductions, accumulation), not the JPEG decoder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinCard } from '../../probe/cards/builtin.js';
import { shippedReference } from '../../probe/cards/shipped.js';
import { photosSource } from '../../probe/input/dataset.js';
import { toModelInput } from '../../probe/input/preprocess.js';
import { decodeModel } from '../../onnx/model.js';
import { parseProbeResult, type ProbeResult } from '../../probe/schema.js';
import { selectTaps } from '../../probe/taps/select.js';
import { skipReason } from './fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const skip = skipReason('torch');
if (skip) console.log(`skipping the PyTorch check of the shipped reference: ${skip}`);

type Stats = Record<'min' | 'max' | 'mean' | 'std' | 'zeroFraction', number[]>;

describe.skipIf(skip !== null)('probe of the shipped SqueezeNet 1.1 on the shipped photos vs PyTorch', () => {
  let probe: ProbeResult;
  let torch: Record<string, Stats>;
  let tensors: Map<string, string>;

  beforeAll(async () => {
    const card = builtinCard('squeezenet1.1');
    const model = await shippedReference(card);
    const dir = await mkdtemp(join(tmpdir(), 'actprobe-refparity-'));
    const { height: H, width: W, channels: C, crop } = card.input;
    const inputs: Float32Array[] = [];
    let images = 0;
    for await (const b of (await photosSource()).batches(64, { height: H, width: W, channels: C, crop })) {
      inputs.push(toModelInput(b, card));
      images += b.count;
    }
    const input = Buffer.concat(inputs.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
    await writeFile(join(dir, 'input.f32'), input);
    // The command a user types, with no card file: the card name is the model.
    const cli = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      ['probe/cli.ts', 'squeezenet1.1', '--dataset', 'photos', '--json', join(dir, 'probe.json')],
      { cwd: root, encoding: 'utf8', timeout: 120_000 },
    );
    if (cli.status !== 0) throw new Error(`npm run probe failed:\n${cli.stderr}`);
    probe = parseProbeResult(JSON.parse(await readFile(join(dir, 'probe.json'), 'utf8')));
    tensors = new Map(selectTaps(decodeModel(new Uint8Array(await readFile(model)))).map((t) => [t.name, t.tensor]));
    const r = spawnSync(
      '/usr/bin/python3',
      [
        'test/probe/fixtures/torch_eval.py',
        model,
        join(dir, 'input.f32'),
        String(images),
        String(C),
        String(H),
        String(W),
        join(dir, 'torch.json'),
        [...tensors.values()].join(','),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`torch_eval.py failed:\n${r.stderr}`);
    torch = JSON.parse(await readFile(join(dir, 'torch.json'), 'utf8')) as Record<string, Stats>;
  }, 180_000);

  it('probes all 7 photos through every fire module, with maxima in the 100s at depth', () => {
    expect(probe.images).toBe(7);
    expect(probe.layers.filter((l) => l.op === 'Concat')).toHaveLength(8);
    expect(Math.max(...probe.layers.filter((l) => l.role === 'conv').map((l) => l.summary.max ?? 0))).toBeGreaterThan(
      300,
    );
  });

  it('agrees per channel on min, max, mean, std and zero share, layer by layer', () => {
    let compared = 0;
    for (const layer of probe.layers) {
      const ref = torch[tensors.get(layer.name) ?? ''];
      expect(ref, layer.name).toBeDefined();
      // Tolerance relative to the layer's scale (float32 sums over up to 7·111·111 values per channel).
      const scale = Math.max(1e-6, ...ref.max.map(Math.abs), ...ref.min.map(Math.abs));
      for (const k of ['min', 'max', 'mean', 'std'] as const) {
        const ours = layer.channels[k];
        expect(ours, `${layer.name}.${k}`).toHaveLength(ref[k].length);
        ours.forEach((v, c) => {
          expect(
            Math.abs((v ?? NaN) - ref[k][c]),
            `${layer.name}.${k}[${c}]: probe ${v}, torch ${ref[k][c]}`,
          ).toBeLessThan(2e-4 * scale + 1e-6);
        });
      }
      // A value exactly 0 after ReLU on both sides; float32 rounding differences move only values at ±1e-7.
      layer.channels.zeroFraction.forEach((v, c) =>
        expect(Math.abs((v ?? NaN) - ref.zeroFraction[c]), `${layer.name}.zeroFraction[${c}]`).toBeLessThan(2e-3),
      );
      compared++;
    }
    expect(compared).toBe(probe.layers.length);
  });
});
