/**
 * One model as the server holds it: one shared onnxruntime session for plain inference (requests batched
 * through `Batcher`), the activation source, and what the model says about itself (actprobe metadata).
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import {
  hasExportMetadata,
  parseExportMetadata,
  type ExportMetadata,
  type Preprocessing,
} from '../../onnx/metadata.js';
import type { ModelCard } from '../../probe/cards/card.js';
import { decodeModel } from '../../onnx/model.js';
import { intraOpThreads } from '../../probe/session/threads.js';
import { graphOutputActivations, logitsLayer, probeableLayers, type ActivationSource } from '../activations.js';
import { Batcher } from './batcher.js';

export interface RuntimeOptions {
  /** Merge concurrent requests into one run (see batcher.ts). */
  batching: boolean;
  /** Most images one request, or one merged run, may hold. */
  maxBatchImages: number;
  /** onnxruntime intra-op threads; undefined = one per logical CPU (probe/session/threads.ts). */
  intraOpThreads?: number;
  /** Called after each onnxruntime run with the images it held and its duration. */
  onRun?: (model: string, kind: 'plain' | 'activations', images: number, seconds: number) => void;
}

export interface ServedModel {
  name: string;
  path: string;
  /** actprobe export metadata, or null for a foreign model (then /classify is refused unless a card describes it). */
  metadata: ExportMetadata | null;
  /** The model card a reference is served with (`--reference`): labels, preprocessing, crop, output kind. */
  card: ModelCard | null;
  /** How /classify and the page turn image bytes into input: the metadata's, else the card's; null = unknown. */
  preprocessing: Preprocessing | null;
  /** Card's shorter-side resize + centre crop; null = cover-resize to the input size. */
  crop: { shorterSide: number } | null;
  /** What the output holds: /classify applies a softmax to logits. */
  outputKind: 'probabilities' | 'logits';
  inputName: string;
  outputName: string;
  /** One image's [channels, height, width]. */
  imageDims: [number, number, number];
  classes: number;
  labels: string[];
  activations: ActivationSource;
  /** Plain inference of `images` NCHW images; resolves to `images × classes` scores. */
  infer(input: Float32Array, images: number): Promise<Float32Array>;
  batches(): { runs: number; images: number };
  close(): Promise<void>;
}

/** A card's preprocessing on 8-bit pixels (cards state it on [0, 1] pixels). */
export function cardPreprocessing(card: ModelCard): Preprocessing {
  const { scale, mean, std, channelOrder } = card.input;
  return { scale: scale / 255, mean, std, channelOrder: channelOrder === 'gray' ? 'L' : channelOrder };
}

export async function loadModel(
  name: string,
  path: string,
  opts: RuntimeOptions,
  card: ModelCard | null = null,
): Promise<ServedModel> {
  const bytes = new Uint8Array(await readFile(path));
  const info = decodeModel(bytes, path);
  let metadata: ExportMetadata | null = null;
  if (hasExportMetadata(info.metadata)) {
    try {
      metadata = parseExportMetadata(info.metadata);
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`);
    }
  }
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    // Between runs the JS thread parses HTTP; idle intra-op threads sleep instead of spinning on the cores
    // it needs. (A/B on 2 cores: no throughput difference beyond the host's noise, less CPU burnt idle.)
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    intraOpNumThreads: intraOpThreads(opts.intraOpThreads),
  };
  const session = await ort.InferenceSession.create(bytes, sessionOptions);
  const [inputName] = session.inputNames;
  const outputName = card && session.outputNames.includes(card.output.name) ? card.output.name : session.outputNames[0];
  const imageDims = dims(session.inputMetadata[0], metadata, path);
  const outMeta = session.outputMetadata[session.outputNames.indexOf(outputName)];
  const classes =
    metadata?.labels.length ?? card?.labels?.length ?? (outMeta.isTensor ? Number(outMeta.shape.at(-1)) : NaN);
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`${path}: cannot tell the class count from output ${outputName}`);
  const imageSize = imageDims[0] * imageDims[1] * imageDims[2];
  const run = async (input: Float32Array, images: number): Promise<Float32Array> => {
    const start = performance.now();
    const out = await session.run({ [inputName]: new ort.Tensor('float32', input, [images, ...imageDims]) }, [
      outputName,
    ]);
    opts.onRun?.(name, 'plain', images, (performance.now() - start) / 1000);
    return out[outputName].data as Float32Array;
  };
  const batcher = opts.batching ? new Batcher(run, imageSize, opts.maxBatchImages) : null;
  const unbatched = { runs: 0, images: 0 };
  const layers = probeableLayers(info, metadata?.layerOutputs);
  const activations = graphOutputActivations(
    bytes,
    layers,
    outputName,
    sessionOptions,
    (images, seconds) => opts.onRun?.(name, 'activations', images, seconds),
    logitsLayer(info, metadata?.layerOutputs),
  );
  return {
    name,
    path,
    metadata,
    card,
    preprocessing: metadata?.preprocessing ?? (card ? cardPreprocessing(card) : null),
    crop: card?.input.crop ?? null,
    outputKind: card?.output.kind ?? 'probabilities',
    inputName,
    outputName,
    imageDims,
    classes,
    labels: metadata?.labels ?? card?.labels ?? Array.from({ length: classes }, (_, i) => String(i)),
    activations,
    infer(input, images) {
      if (batcher) return batcher.submit(input, images);
      unbatched.runs++;
      unbatched.images += images;
      return run(input, images);
    },
    batches: () => (batcher ? { ...batcher.stats } : { ...unbatched }),
    async close() {
      await session.release();
      await activations.close();
    },
  };
}

/** [C, H, W] from the metadata (authoritative for actprobe models) or the graph input's static shape. */
function dims(
  input: ort.InferenceSession.ValueMetadata,
  metadata: ExportMetadata | null,
  path: string,
): [number, number, number] {
  if (metadata) return [metadata.inputSize.channels, metadata.inputSize.height, metadata.inputSize.width];
  const shape = input.isTensor ? input.shape.slice(1).map(Number) : [];
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(
      `${path}: input ${input.name} must be [N, C, H, W] with fixed C, H, W (got [${input.isTensor ? input.shape.join(', ') : 'non-tensor'}])`,
    );
  }
  return shape as [number, number, number];
}
