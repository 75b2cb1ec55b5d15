/**
 * `npm run probe -- MODEL.onnx [--images DIR | --dataset NAME] [--card CARD] [--reference CARD] --json OUT`
 * Errors print one line that names what is wrong and exit 1 (no stack trace).
 */
import { Command, Option } from 'commander';
import { BUILTIN_CARDS } from './cards/builtin.js';
import { PROBE_DATASETS } from './input/dataset.js';
import { runProbeCommand } from './run/probe-command.js';
import { PROBE_DEFAULTS } from './run/probe-model.js';
import { OPT_LEVELS, type OptLevel } from './session/create.js';
import { EP_CHOICES, type EpChoice } from './session/providers.js';
import { DEFAULT_TAP_OPS, POOL_OPS } from './taps/ops.js';

const int =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}".`);
    return n;
  };

const program = new Command('probe')
  .description(
    'Per-layer, per-channel activation statistics of an ONNX CNN (reduced inside the graph), optionally compared with a reference AlexNet and diagnosed.',
  )
  .argument(
    '<model>',
    'ONNX model file (NCHW float32 input), or a built-in card whose model is shipped or cached (squeezenet1.1, alexnet)',
  )
  .option('--images <dir>', 'probe images: PNG/JPEG/WebP files under DIR (decoded and resized with sharp)')
  .option('--dataset <name>', `probe images: test split of ${PROBE_DATASETS.join(' | ')}`)
  .option(
    '--seed <n>',
    'seed of the --dataset watch set (default: the watch set of the run the model lies in, else the training default seed)',
    int('--seed'),
  )
  .option('--count <n>', 'images to probe', int('--count'), 256)
  .option(
    '--card <card>',
    `preprocessing of the probed model: built-in (${Object.keys(BUILTIN_CARDS).join(', ')}) or card JSON; default: the model's metadata, else [0, 1] pixels`,
  )
  .option(
    '--reference <card>',
    'also probe this reference (from the fetch-reference cache) on the same images and write compare.json',
  )
  .option('--reference-model <file>', 'reference ONNX file to use instead of the cached one')
  .option('--reference-label <text>', 'label shown with the reference (e.g. "structure only, not pretrained")')
  .requiredOption('--json <file>', 'where to write the probe JSON')
  .option('--compare <file>', 'where to write compare.json (default: beside --json)')
  .option('--metrics <file>', 'training metrics.jsonl to diagnose together with the probe')
  .option('--history <file>', 'activations.jsonl of earlier mini-epochs (for the std-collapse rule)')
  .option(
    '--diagnosis <file>',
    'where to write diagnosis.json (default: beside --json when --metrics or --history is given)',
  )
  .option(
    '--classes <n>',
    'classes of the task, for the chance-level rules (default: width of the last tapped layer)',
    int('--classes'),
  )
  .addOption(
    new Option(
      '--ep <provider>',
      'onnxruntime execution provider; auto = CUDA when its provider library is installed, else CPU',
    )
      .choices(EP_CHOICES)
      .default('auto'),
  )
  .option('--threads <n>', 'onnxruntime intra-op threads (0 = one per logical CPU)', int('--threads'), 0)
  .addOption(
    new Option('--opt-level <level>', 'onnxruntime graph optimisation level').choices(OPT_LEVELS).default('all'),
  )
  .option(
    '--batch <n>',
    'batch size (models with a fixed batch of 1 run one image at a time)',
    int('--batch'),
    PROBE_DEFAULTS.batchSize,
  )
  .option(
    '--watch <n>',
    'images (the first ones) that get per-image per-channel min/max',
    int('--watch'),
    PROBE_DEFAULTS.watch,
  )
  .option(
    '--full-stats <n>',
    'images that get min/std/zero/saturation/percentiles: "all" (default, what the JSON contract means) or a count N for a faster probe (max and mean still cover every image; the JSON says so in coverage)',
    'all',
  )
  .option(
    '--ops <list>',
    `op types to tap, comma-separated (default: ${DEFAULT_TAP_OPS.join(',')}; add ${POOL_OPS.join(',')} for local pools)`,
  )
  .option('--names <regex>', 'tap only nodes whose raw or human name matches')
  .option(
    '--exact-taps',
    'tap exactly the selected nodes instead of the end of their Conv/BN/activation block (slower: breaks fusion)',
  )
  .option('--cache <dir>', 'reference model cache (default: $ACTPROBE_REFERENCE_CACHE or ~/.cache/actprobe/reference)')
  .option('--label <text>', 'label stored with the probe result')
  .option('--mini-epoch <k>', 'mini-epoch the model comes from (stored in the result)', int('--mini-epoch'))
  .showHelpAfterError();

interface Opts {
  images?: string;
  dataset?: string;
  seed?: number;
  count: number;
  card?: string;
  reference?: string;
  referenceModel?: string;
  referenceLabel?: string;
  json: string;
  compare?: string;
  metrics?: string;
  history?: string;
  diagnosis?: string;
  classes?: number;
  ep: EpChoice;
  threads: number;
  optLevel: OptLevel;
  batch: number;
  watch: number;
  fullStats: string;
  ops?: string;
  names?: string;
  exactTaps?: boolean;
  cache?: string;
  label?: string;
  miniEpoch?: number;
}

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<Opts>();
  const fullStats = o.fullStats === 'all' ? Infinity : int('--full-stats')(o.fullStats);
  let names: RegExp | undefined;
  try {
    names = o.names ? new RegExp(o.names) : undefined;
  } catch (err) {
    throw new Error(`--names "${o.names}" is not a valid regular expression: ${(err as Error).message}`);
  }
  await runProbeCommand({
    model: program.args[0],
    images: o.images,
    dataset: o.dataset,
    seed: o.seed,
    count: o.count,
    card: o.card,
    reference: o.reference,
    referenceModel: o.referenceModel,
    referenceLabel: o.referenceLabel,
    json: o.json,
    compare: o.compare,
    metrics: o.metrics,
    history: o.history,
    diagnosis: o.diagnosis,
    classes: o.classes,
    session: { ep: o.ep, threads: o.threads, optimization: o.optLevel },
    batchSize: o.batch,
    watch: o.watch,
    fullStatImages: fullStats,
    taps: {
      ops: o.ops
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      names,
      exact: o.exactTaps,
    },
    cacheDir: o.cache,
    label: o.label,
    miniEpoch: o.miniEpoch,
    log: (line) => console.log(line),
  });
}

main().catch((err: unknown) => {
  console.error(`probe: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
