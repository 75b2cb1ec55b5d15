/**
 * The CLIs as a user runs them (tsx, real files): `probe` on an exporter-named model with the synthetic
 * data source and a structure-only AlexNet-topology reference, its errors, and `fetch-reference` offline.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareSchema } from '../../probe/compare/compare.js';
import { parseProbeResult } from '../../probe/schema.js';
import { fixture, skipReason } from './fixtures.js';

const tsx = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('probe CLI', () => {
  it('prints help and rejects a run without images', () => {
    const help = tsx('probe/cli.ts', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(
      /--images <dir>.*--dataset <name>.*--reference <card>.*--json <file>.*--ep <provider>/s,
    );
    const bad = tsx('probe/cli.ts', ['missing.onnx', '--json', join(tmpdir(), 'x.json'), '--dataset', 'synthetic']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^probe: Cannot read model missing\.onnx/);
    const offline = tsx('probe/fetch-reference-cli.ts', [
      'alexnet',
      '--url',
      'http://127.0.0.1:1/x.onnx',
      '--cache',
      mkdtempSync(join(tmpdir(), 'actprobe-c-')),
    ]);
    expect(offline.status).toBe(1);
    expect(offline.stderr).toMatch(/fetch-reference: Cannot download bvlcalexnet-12 .*offline/);
  });

  const skip = skipReason('torch');
  if (skip) console.log(`skipping the probe CLI end-to-end run: ${skip}`);
  it.skipIf(skip !== null)(
    'probes a model on a dataset, compares with a structure-only AlexNet and writes the JSON files',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'actprobe-cli-'));
      const metrics = join(out, 'metrics.jsonl');
      const line = (k: number) =>
        JSON.stringify({ miniEpoch: k, trainLoss: 2.3, testAccuracy: 0.1, lr: 1e-3, batchSize: 64, layers: [] });
      writeFileSync(metrics, [1, 2, 3].map(line).join('\n'));
      const r = tsx('probe/cli.ts', [
        '--metrics',
        metrics,
        '--classes',
        '10',
        fixture('keras-m'),
        '--dataset',
        'synthetic',
        '--count',
        '40',
        '--batch',
        '16',
        '--json',
        join(out, 'probe.json'),
        '--ep',
        'cpu',
        '--reference',
        'torchvision-alexnet',
        '--reference-model',
        fixture('torch-alexnet'),
        '--reference-label',
        'structure only, not pretrained',
      ]);
      expect(r.stderr).not.toMatch(/probe: /);
      expect(r.status).toBe(0);
      const p = parseProbeResult(JSON.parse(readFileSync(join(out, 'probe.json'), 'utf8')));
      expect(p).toMatchObject({ executionProvider: 'cpu', images: 40, batchSize: 16, card: 'keras-m.onnx' });
      expect(p.source).toMatch(/^dataset:synthetic test split/);
      expect(p.watchImages).toHaveLength(8);
      const conv1 = p.layers.find((l) => l.name === 'conv1_relu')!;
      expect(conv1.shape).toEqual([1, 32, 28, 28]);
      expect(conv1.channels.min).toHaveLength(32);
      expect(conv1.watch.max).toHaveLength(8);
      const c = compareSchema.parse(JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')));
      expect(c.reference.label).toBe('structure only, not pretrained');
      expect(c.rows.find((x) => x.layer === 'conv3_relu')?.reference).toBe('conv5');
      expect(r.stdout).toContain('vs torchvision-alexnet (structure only, not pretrained)');
      const d = JSON.parse(readFileSync(join(out, 'diagnosis.json'), 'utf8')) as { findings: Array<{ rule: string }> };
      expect(d.findings.map((f) => f.rule)).toContain('stuck-at-chance');
      expect(r.stdout).toMatch(/ERROR Training is stuck at chance/);
    },
  );
});
