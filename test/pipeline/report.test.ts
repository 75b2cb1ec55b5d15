/**
 * report.html from a small fake run folder made here: 4 mini-epochs of metrics and activations (zod-valid),
 * compare.json from the real comparer, a typed diagnosis.json and parity.json. Fast checks on the HTML string;
 * then headless Chromium (Debian `chromium` via playwright-core) opens it from file:// and every plot must have
 * drawn marks, with no console error and no request beyond the file. Skipped with a reason without Chromium.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParityReport } from '../../export/parity.js';
import { compareProbes } from '../../probe/compare/compare.js';
import { depthProfile } from '../../probe/compare/depth-profile.js';
import { magnitudeVerdict } from '../../probe/compare/magnitude-verdict.js';
import type { Diagnosis } from '../../probe/diagnosis/registry.js';
import { appendActivations } from '../../probe/run/activations-log.js';
import type { LayerRole, ProbeLayer, ProbeResult } from '../../probe/schema.js';
import { appendJsonLine, runPaths, type RunManifest } from '../../run-folder/run-folder.js';
import type { MiniEpochMetrics, NonFiniteRecord } from '../../train/trainer/metrics-record.js';
import { renderReport, writeReport } from '../../pipeline/report/index.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../chromium.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`report.test.ts browser check skipped: ${CHROMIUM} not found (apt-get install chromium)`);

const EPOCHS = 4;
const C = 6;
// A layer name and a headline with markup in them: both must come out escaped, in HTML and in the SVGs.
const ODD = 'conv<3>&"x"';
const HEADLINE = 'SE gates saturated <after mini-epoch 2> & rising';
const LAYERS: Array<[string, LayerRole, number]> = [
  ['conv1', 'conv', 0.2],
  ['conv2', 'conv', 0.4],
  [ODD, 'conv', 0.55],
  ['se1_gate', 'se-gate', 0.7],
  ['fc1', 'fc', 0.9],
];
// Deterministic wiggle so the plots have shape without a random seed to manage.
const wiggle = (i: number): number => 0.5 + 0.5 * Math.sin(i * 12.9898);

function layer(name: string, role: LayerRole, depth: number, e: number, k: number): ProbeLayer {
  const gate = role === 'se-gate';
  const scale = gate ? 1 : (1 + k) * (1 + e) * 0.8;
  const ch = (f: (c: number) => number): number[] => Array.from({ length: C }, (_, c) => f(c));
  const max = ch((c) => (gate ? 0.6 + 0.4 * wiggle(c + e) : scale * (2 + 3 * wiggle(c + 7 * k))));
  const watch = (lo: number) =>
    [0, 1].map((img) => ch((c) => (lo ? (gate ? 0.05 * wiggle(c) : -0.1 * scale * img) : max[c] * (0.6 + 0.3 * img))));
  const low = gate ? 0.1 + 0.2 * e : undefined;
  const high = gate ? 0.03 + 0.07 * e : undefined;
  const std = gate ? 0.3 - 0.05 * e : k === 1 ? 0.5 / 10 ** e : scale * 0.7;
  return {
    name,
    op: gate ? 'Sigmoid' : 'Relu',
    shape: role === 'fc' ? [1, C] : [1, C, 4, 4],
    node: name,
    head: name,
    headOp: gate ? 'Gemm' : 'Conv',
    role,
    depth,
    channels: {
      min: ch(() => 0),
      max,
      mean: ch((c) => max[c] / 3),
      std: ch(() => std),
      zeroFraction: ch((c) => 0.2 * wiggle(c)),
      ...(gate ? { lowFraction: ch(() => low ?? 0), highFraction: ch(() => high ?? 0) } : {}),
    },
    summary: {
      min: 0,
      max: Math.max(...max),
      mean: gate ? 0.5 - 0.05 * e : scale,
      std: e === 3 && k === 1 ? 0 : std,
      p1: 0,
      p50: scale / 2,
      p99: scale * 4,
      zeroFraction: 0.1,
      deadChannels: 0,
      nonFiniteChannels: 0,
      ...(gate ? { lowFraction: low, highFraction: high } : {}),
    },
    watch: { min: watch(1), max: watch(0) },
  };
}

function probe(layers: ProbeLayer[], e: number | undefined, model: string): ProbeResult {
  return {
    schemaVersion: 1,
    model,
    executionProvider: 'cpu',
    images: 32,
    layers,
    batchSize: 16,
    card: model === 'ours' ? 'actprobe' : 'bvlcalexnet-12',
    providerReport: { requested: 'cpu', configured: ['cpu'], used: 'cpu', nodesByProvider: { cpu: 20 }, notes: [] },
    source: 'synthetic',
    input: layer('input', 'input', 0, 0, 0),
    watchImages: ['test #0 (T-shirt)', 'test #7 (Sneaker)'],
    coverage: { fullStatImages: 32, note: 'all images' },
    percentiles: { method: 'reservoir', capacity: 4096, positionsPerImage: 64, note: '' },
    seconds: 0.1,
    ...(e !== undefined ? { miniEpoch: e } : {}),
  };
}

async function makeRun(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const p = runPaths(dir);
  const manifest: RunManifest = {
    config: { preset: 'seednet' },
    backend: 'wasm',
    executionProvider: 'cpu',
    testAccuracy: 0.62,
    stages: { train: 41.5, probe: 6.2 },
    status: 'finished',
    versions: {},
    data: { name: 'synthetic', origin: 'generated', classes: 10, labels: [], height: 28, width: 28, channels: 1 },
    watchSet: [0, 7],
  };
  await writeFile(p.manifest, JSON.stringify(manifest));
  let last: ProbeResult | undefined;
  for (let e = 0; e < EPOCHS; e++) {
    const m: MiniEpochMetrics = {
      miniEpoch: e,
      imagesSeen: 1024 * (e + 1),
      lr: 5e-4,
      batchSize: 64,
      trainLoss: 2.3 - 0.4 * e,
      trainAccuracy: 0.1 + 0.18 * e,
      testLoss: 2.3 - 0.3 * e,
      testAccuracy: 0.1 + 0.17 * e,
      testTop5: 0.5 + 0.12 * e,
      imagesPerSecond: 120,
      seconds: 8,
      layers: LAYERS.map(([name], k) => ({
        layer: name,
        gradNorm: k === 0 && e === 0 ? 0 : 10 ** -k * (1 + wiggle(e + k)),
        weightNorm: 3,
        updateRatio: 1e-3,
      })),
    };
    await appendJsonLine(p.metrics, m);
    last = probe(
      LAYERS.map(([name, role, depth], k) => layer(name, role, depth, e, k)),
      e,
      'ours',
    );
    await appendActivations(p.activations, last);
  }
  const ref = probe(
    ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', 'fc8'].map((n, k) =>
      layer(n, k < 5 ? 'conv' : 'fc', k / 8, 1, k),
    ),
    undefined,
    'bvlcalexnet-12.onnx',
  );
  // Ours with batch norm against a reference without: conv2's std falls 10× per mini-epoch, a collapse against its
  // own history that the architecture difference must not hide.
  const cmp = compareProbes(last as ProbeResult, ref, {
    pretrained: true,
    oursBatchNorm: true,
    referenceBatchNorm: false,
    why: "the config's reference",
  });
  const history = (await readFile(p.activations, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ProbeResult);
  const lastProfile = depthProfile(last as ProbeResult, 'ours, mini-epoch 3');
  const refProfile = depthProfile(ref, 'bvlcalexnet-12 (its photos)');
  cmp.magnitudes = {
    ours: [depthProfile(history[0], 'ours, mini-epoch 0'), lastProfile],
    reference: refProfile,
    referenceOnOurs: refProfile,
    verdict: magnitudeVerdict({
      last: lastProfile,
      history,
      reference: refProfile,
      referenceName: 'bvlcalexnet-12',
      referencePretrained: true,
      oursBatchNorm: true,
      referenceBatchNorm: false,
    }),
  };
  await writeFile(p.compare, JSON.stringify(cmp));
  const diagnosis: Diagnosis = {
    findings: [
      {
        rule: 'se-saturated',
        severity: 'warning',
        title: HEADLINE,
        evidence: 'se1_gate: 85% of gates < 0.01 or > 0.99.',
        suggestion: "Lower the excite layer's learning rate.",
        where: 'se1_gate',
      },
    ],
    checked: [
      { rule: 'se-saturated', describes: 'SE gates < 0.01 or > 0.99', result: 'triggered' },
      { rule: 'non-finite', describes: 'NaN/Inf', result: 'clear' },
    ],
  };
  await writeFile(p.diagnosis, JSON.stringify(diagnosis));
  const parityLayer = (layer: string, relToScale: number): ParityReport['layers'][number] => ({
    layer,
    className: 'Conv2D',
    onnxValue: `${layer}/out`,
    shape: [1, C, 4, 4],
    maxAbsDiff: relToScale * 3,
    maxRelDiff: relToScale,
    scale: 3,
    relToScale,
    passed: relToScale <= 1e-4,
    worstInput: 'watch',
  });
  const parity: ParityReport = {
    passed: true,
    tolerance: 1e-4,
    tfjsBackend: 'wasm',
    executionProvider: 'cpu',
    onnxruntime: '1.30.0',
    inputs: [{ name: 'watch', images: 2 }],
    worst: { layer: 'conv2', relToScale: 3e-6 },
    layers: [parityLayer('conv1', 1e-7), parityLayer('conv2', 3e-6), parityLayer('flatten', 0)],
  };
  await writeFile(p.parity, JSON.stringify(parity));
}

let root: string;
let run: string;
let html: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'actprobe-report-'));
  run = join(root, 'run');
  await makeRun(run);
  html = await readFile(await writeReport(run), 'utf8');
});
// The full run (and its screenshot) stays for a person to look at; only the degraded copies go.
afterAll(() => Promise.all(['empty', 'variants'].map((d) => rm(join(root, d), { recursive: true, force: true }))));

describe('report.html (no browser)', () => {
  it('references nothing outside the file and escapes what it quotes', () => {
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(
      /<(link|img|iframe|source|object|embed)\b[^>]*\b(src|href|data)\s*=\s*["']?\s*(https?:)?\/\//i,
    );
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/);
    expect(html).not.toContain('<after mini-epoch 2>');
    expect(html).toContain('&lt;after mini-epoch 2&gt; &amp; rising');
    expect(html).not.toContain(ODD);
    expect(html).not.toMatch(/class="error"/);
    expect(html).toContain('<strong>pretrained</strong>');
  });

  it('answers "are these magnitudes normal?" keeping batch norm apart from a collapse in training', () => {
    expect(html.match(/class="magnitude-verdict[^"]*"><strong>[^<]*/)?.[0]).toMatch(
      /collapse"><strong>collapse: conv2 shrank &gt; 10× against its own earlier checkpoints/,
    );
    expect(html).toContain('Architecture, not training: our network has batch norm');
    expect(html.match(/Training: [^<]*/)?.[0]).toMatch(
      /^Training: conv2 shrank from std 0\.50 \(mini-epoch 0\) to 0\.0 — more than 10× below its own peak/,
    );
    expect(html).toContain('batch-norm scale');
  });

  it('degrades each section to a message when its file is missing or broken', async () => {
    const dir = join(root, 'empty');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'diagnosis.json'), '{"findings": 3}');
    const out = await renderReport(dir);
    expect(out).not.toContain('data-plot');
    for (const f of ['metrics.jsonl', 'activations.jsonl', 'compare.json', 'parity.json'])
      expect(out).toContain(`No <code>${f}</code>`);
    expect(out).toMatch(/<code>diagnosis.json<\/code> could not be read: <pre>[^<]*findings/);
  });

  it('labels a random-weight reference, says "no findings", shows NaN events and failed parity', async () => {
    const dir = join(root, 'variants');
    await mkdir(dir, { recursive: true });
    const cmp = JSON.parse(await readFile(join(run, 'compare.json'), 'utf8')) as { reference: { label?: string } };
    cmp.reference.label = 'structure only, not pretrained';
    await writeFile(join(dir, 'compare.json'), JSON.stringify(cmp));
    await writeFile(join(dir, 'diagnosis.json'), JSON.stringify({ findings: [], checked: [] } satisfies Diagnosis));
    const nan: NonFiniteRecord = {
      event: 'non-finite',
      miniEpoch: 2,
      step: 17,
      where: 'loss',
      variable: null,
      message: 'loss is NaN',
      lastGoodCheckpoint: 1,
    };
    await writeFile(join(dir, 'metrics.jsonl'), `${JSON.stringify(nan)}\n`);
    // parity.json as writeParityReport writes a shape mismatch: Infinity as a string.
    const parity = JSON.parse(await readFile(join(run, 'parity.json'), 'utf8')) as {
      passed: boolean;
      layers: Array<{ relToScale: number | string; passed: boolean }>;
    };
    Object.assign(parity.layers[1], { relToScale: 'Infinity', passed: false });
    await writeFile(join(dir, 'parity.json'), JSON.stringify({ ...parity, passed: false }));
    const out = await renderReport(dir);
    expect(out).toMatch(
      /badge fail">fail<\/span>[\s\S]*<td><code>conv2<\/code><\/td><td>Conv2D<\/td><td>[^<]*<\/td><td>∞<\/td>/,
    );
    expect(out).toContain('<strong>structure only</strong>');
    expect(out).toContain('No findings');
    expect(out).toMatch(/class="error">Training hit NaN\/Inf:<ul><li>mini-epoch 2: non-finite loss — loss is NaN/);
  });
});

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  it('renders every plot with marks, the diagnosis headline, no console errors, no requests', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const problems: string[] = [];
      const url = pathToFileURL(join(run, 'report.html')).href;
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
      page.on('request', (r) => r.url() !== url && problems.push(`request: ${r.url()}`));
      await page.goto(url, { waitUntil: 'load' });
      const plots = await page.$$eval('[data-plot]', (els) =>
        els.map((el) => {
          const svg = el.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          // A mark counts only if it drew something: bars on a log axis from 0 leave zero-height paths behind.
          const drawn = [...(svg?.querySelectorAll('.role-mark > *') ?? [])].filter((m) => {
            const b = (m as SVGGraphicsElement).getBBox();
            const thin = /mark-(rule|line)/.test(m.parentElement?.getAttribute('class') ?? '');
            return (
              Number.isFinite(b.width + b.height) && (thin ? b.width > 0 || b.height > 0 : b.width > 0 && b.height > 0)
            );
          });
          return { id: el.getAttribute('data-plot'), marks: drawn.length, width: box?.width ?? 0 };
        }),
      );
      const ids = plots.map((p) => p.id);
      expect(ids).toEqual([
        'loss',
        'accuracy',
        ...LAYERS.map((_, i) => `band-${i}`),
        'std-heatmap',
        'gradients',
        'se-gate-0',
        'compare-std',
        'compare-p99',
        'magnitude-p99',
        'magnitude-max',
        'magnitude-std',
        'magnitude-zerofraction',
        'parity',
      ]);
      expect(plots.filter((p) => !(p.marks > 0 && p.width > 100))).toEqual([]);
      expect(await page.locator('#diagnosis h3').first().textContent()).toContain(HEADLINE);
      expect(await page.locator('.magnitude-verdict').textContent()).toMatch(/^collapse: conv2/);
      const shot = join(run, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`report screenshot: ${shot}`);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
