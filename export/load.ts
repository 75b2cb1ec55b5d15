import * as tf from '@tensorflow/tfjs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { readManifest } from '../run-folder/run-folder.js';
import { readModelArtifacts } from '../train/trainer/model-files.js';
import '../train/models/custom-objects.js';
import { assembleModel, exportLayersModel } from './convert.js';
import type { ExportOptions, ExportResult } from './convert.js';
import { checkGraphOps, convertGraph } from './graph-model/convert-graph.js';
import { parseGraphTopology } from './graph-model/schema.js';
import { graphSourceFromModel } from './graph-model/source.js';
import { checkLayerClasses } from './layers/convert-layers.js';
import { parseKerasTopology } from './layers/topology.js';
import { exportMetadataSchema } from '../onnx/metadata.js';
import { graphReference, layersReference } from './parity/reference.js';
import type { ReferenceRunner } from './parity/reference.js';

/** model.json at the boundary: which kind of tfjs model it is; the topology itself is checked per kind. */
const modelJsonSchema = z.object({
  format: z.string().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.object({ name: z.string() })) })),
});

export interface CheckpointExport {
  result: ExportResult;
  /** The tfjs model the ONNX graph came from, as a parity reference. */
  reference(): ReferenceRunner;
  checkpointDir: string;
  runDir: string | null;
}

/** A checkpoint folder, or a run folder (→ its highest-numbered checkpoint). */
export async function resolveCheckpoint(dir: string): Promise<string> {
  const abs = resolve(dir);
  if (
    await stat(join(abs, 'model.json')).then(
      () => true,
      () => false,
    )
  )
    return abs;
  const names = await readdir(join(abs, 'checkpoints')).catch(() => [] as string[]);
  const latest = names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => b - a)[0];
  if (latest === undefined)
    throw new Error(
      `${abs}: has no model.json and no checkpoints/<n>/ folders; pass a checkpoint folder (RUN/checkpoints/<n>) or a run folder`,
    );
  return join(abs, 'checkpoints', String(latest));
}

/** Labels and preprocessing from the run's manifest.json, when the checkpoint sits in a run folder. */
async function runInfo(checkpointDir: string): Promise<{ runDir: string | null; opts: ExportOptions }> {
  if (basename(dirname(checkpointDir)) !== 'checkpoints') return { runDir: null, opts: {} };
  const runDir = dirname(dirname(checkpointDir));
  const manifest = await readManifest(runDir);
  const preprocessing = exportMetadataSchema.shape.preprocessing.safeParse(manifest?.preprocessing);
  if (manifest?.preprocessing && !preprocessing.success)
    throw new Error(
      `${join(runDir, 'manifest.json')}: field preprocessing is malformed (${preprocessing.error.issues[0]?.message}); expected { scale, mean[], std[], channelOrder }`,
    );
  return {
    runDir,
    opts: {
      labels: manifest?.data?.labels,
      preprocessing: preprocessing.success ? preprocessing.data : undefined,
      sourceRun: runDir,
    },
  };
}

/** Reads a tfjs layers-model or graph-model folder and converts it; `opts` override what the run folder says. */
export async function exportCheckpoint(dir: string, opts: ExportOptions = {}): Promise<CheckpointExport> {
  const checkpointDir = await resolveCheckpoint(dir);
  const jsonPath = join(checkpointDir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (e) {
    throw new Error(`${jsonPath}: cannot be read as JSON (${(e as Error).message})`);
  }
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${jsonPath}: not a tfjs model.json (at ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); expected modelTopology and weightsManifest`,
    );
  const run = await runInfo(checkpointDir);
  const graphModel = parsed.data.format === 'graph-model' || Array.isArray(parsed.data.modelTopology.node);
  const options: ExportOptions = {
    ...run.opts,
    sourceCheckpoint: checkpointDir,
    sourceFormat: graphModel ? 'graph-model' : 'layers-model',
    ...opts,
  };
  const artifacts = await readModelArtifacts(checkpointDir);
  if (graphModel) {
    const nodes = parseGraphTopology(parsed.data.modelTopology, jsonPath);
    checkGraphOps(nodes, jsonPath);
    const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
    const converted = convertGraph(graphSourceFromModel(model, nodes, basename(checkpointDir)));
    const classes = converted.graph.outputs[0].shape[1];
    if (converted.graph.outputs[0].shape.length !== 2 || typeof classes !== 'number')
      throw new Error(
        `${jsonPath}: output shape [${converted.graph.outputs[0].shape.join(', ')}] is not [batch, classes]`,
      );
    const result = assembleModel(converted, classes, options);
    return {
      result,
      checkpointDir,
      runDir: run.runDir,
      reference: () => graphReference(model, model.inputs[0].name, result.layers),
    };
  }
  // Check classes against the registry before tfjs deserializes, so an unknown layer gets the exporter's error.
  const topology = parseKerasTopology(parsed.data.modelTopology, jsonPath);
  checkLayerClasses(topology, jsonPath);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const result = exportLayersModel(model, options);
  return { result, checkpointDir, runDir: run.runDir, reference: () => layersReference(model, result.layers) };
}
