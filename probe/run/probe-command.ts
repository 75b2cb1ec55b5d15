/**
 * What `npm run probe` does, as a function the pipeline can call too: probe a model on a probe set, write the
 * probe JSON; optionally probe a reference on the same images and write compare.json; optionally read
 * training metrics and write diagnosis.json.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import { dirname, join } from 'node:path';
import { BUILTIN_CARDS, builtinCard, CARD_ALIASES } from '../cards/builtin.js';
import { readCardFile, type ModelCard } from '../cards/card.js';
import { referenceCacheDir } from '../cards/fetch.js';
import { referenceModelPath } from '../cards/reference-model.js';
import { hasBatchNorm } from '../compare/batch-norm.js';
import { compareProbes, formatCompare, type CompareResult } from '../compare/compare.js';
import { readMetrics } from '../diagnosis/metrics.js';
import { diagnose, type Diagnosis } from '../diagnosis/registry.js';
import { datasetSource } from '../input/dataset.js';
import { folderSource } from '../input/folder.js';
import { chooseWatchSet } from '../input/watch-choice.js';
import type { ImageSource } from '../input/source.js';
import type { ProbeResult } from '../schema.js';
import type { SessionConfig } from '../session/create.js';
import type { TapSelection } from '../taps/select.js';
import { readActivations } from './activations-log.js';
import { formatProbe } from './format.js';
import { probeModel, type ProbeOutcome } from './probe-model.js';

export interface ProbeCommand {
  model: string;
  images?: string;
  dataset?: string;
  /** Seed of the `--dataset` watch set; default: the run's own (probe/input/watch-choice.ts). */
  seed?: number;
  count: number;
  card?: string;
  reference?: string;
  referenceModel?: string;
  referenceLabel?: string;
  json: string;
  compare?: string;
  metrics?: string;
  /** activations.jsonl of earlier mini-epochs, for the rules that look at the history (std collapse). */
  history?: string;
  diagnosis?: string;
  classes?: number;
  session: SessionConfig;
  batchSize?: number;
  watch: number;
  fullStatImages?: number;
  taps?: TapSelection;
  cacheDir?: string;
  label?: string;
  miniEpoch?: number;
  log: (line: string) => void;
}

export interface ProbeCommandResult {
  probe: ProbeOutcome;
  compare?: CompareResult;
  diagnosis?: Diagnosis;
}

export async function makeSource(
  c: Pick<ProbeCommand, 'model' | 'images' | 'dataset' | 'seed' | 'count' | 'watch'>,
): Promise<ImageSource> {
  if (c.images && c.dataset) throw new Error('Give either --images DIR or --dataset NAME, not both.');
  if (c.images) return folderSource(c.images, c.count);
  if (c.dataset) return datasetSource(c.dataset, c.count, c.watch, await chooseWatchSet(c.model, c.dataset, c.seed));
  throw new Error('No probe images: give --images DIR (PNG/JPEG files) or --dataset fashion-mnist|synthetic.');
}

export async function loadCard(arg: string): Promise<ModelCard> {
  return arg.endsWith('.json') ? readCardFile(arg) : builtinCard(arg);
}

/**
 * MODEL may be a built-in card's name (`squeezenet1.1`, `alexnet`) instead of a file: its shipped or cached
 * model then runs with that card, checksum verified. A file of that name, when one exists, wins.
 */
async function modelAndCard(c: ProbeCommand): Promise<{ model: string; card?: string | ModelCard }> {
  const isCard = (CARD_ALIASES[c.model] ?? c.model) in BUILTIN_CARDS;
  if (existsSync(c.model) || !isCard) return { model: c.model, card: c.card };
  const card = c.card ? await loadCard(c.card) : builtinCard(c.model);
  return { model: await referenceModelPath(builtinCard(c.model), c.cacheDir ?? referenceCacheDir()), card };
}

export async function runProbeCommand(c: ProbeCommand): Promise<ProbeCommandResult> {
  const source = await makeSource(c);
  const common = { session: c.session, batchSize: c.batchSize, watch: c.watch, fullStatImages: c.fullStatImages };
  const target = await modelAndCard(c);
  const probe = await probeModel({
    ...target,
    source,
    taps: c.taps,
    label: c.label,
    miniEpoch: c.miniEpoch,
    ...common,
    log: c.log,
  });
  await writeJson(c.json, probe);
  c.log(formatProbe(probe));
  for (const note of probe.notes) c.log(`note: ${note}`);
  const out: ProbeCommandResult = { probe };
  if (c.reference) {
    const card = await loadCard(c.reference);
    const model = c.referenceModel ?? (await referenceModelPath(card, c.cacheDir ?? referenceCacheDir()));
    const label = c.referenceLabel ?? (card.pretrained && !c.referenceModel ? undefined : card.label);
    c.log(`probe: reference ${card.name}${label ? ` (${label})` : ''} from ${model}`);
    const ref = await probeModel({
      model,
      source: await makeSource(c),
      card,
      label,
      ...common,
      fullStatImages: Infinity,
      log: c.log,
    });
    out.compare = compareProbes(probe, ref, {
      pretrained: card.pretrained && label === undefined,
      oursBatchNorm: await hasBatchNorm(probe.model),
      referenceBatchNorm: await hasBatchNorm(model, card),
    });
    await writeJson(c.compare ?? join(dirname(c.json), 'compare.json'), out.compare);
    c.log(formatCompare(out.compare));
  }
  if (c.metrics || c.diagnosis || c.history) {
    const history = c.metrics ? await readMetrics(c.metrics) : undefined;
    const earlier = c.history ? await readActivations(c.history) : [];
    out.diagnosis = diagnose({
      history,
      classes: c.classes ?? probe.layers[probe.layers.length - 1]?.channels.min.length,
      probes: [...earlier, probe as ProbeResult],
    });
    await writeJson(c.diagnosis ?? join(dirname(c.json), 'diagnosis.json'), out.diagnosis);
    for (const f of out.diagnosis.findings)
      c.log(`${f.severity.toUpperCase()} ${f.title}: ${f.evidence} → ${f.suggestion}`);
    if (out.diagnosis.findings.length === 0) c.log('diagnosis: no rule triggered.');
  }
  return out;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
}
