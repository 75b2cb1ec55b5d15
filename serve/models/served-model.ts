/**
 * One model as the server holds it: one shared onnxruntime session for plain inference (requests batched
 * through `Batcher`), the activation source, and what the model says about itself (actprobe metadata).
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { parseExportMetadata, type ExportMetadata } from '../../export/metadata.js';
import { decodeModel } from '../../probe/onnx/model.js';
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
  /** actprobe export metadata, or null for a foreign model (then /classify is refused). */
  metadata: ExportMetadata | null;
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

const ACTPROBE_KEYS = ['labels', 'input_size', 'layer_outputs'];

export async function loadModel(name: string, path: string, opts: RuntimeOptions): Promise<ServedModel> {
  const bytes = new Uint8Array(await readFile(path));
  const info = decodeModel(bytes, path);
  let metadata: ExportMetadata | null = null;
  if (ACTPROBE_KEYS.some((k) => k in info.metadata)) {
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
  const [outputName] = session.outputNames;
  const imageDims = dims(session.inputMetadata[0], metadata, path);
  const outMeta = session.outputMetadata[0];
  const classes = metadata?.labels.length ?? (outMeta.isTensor ? Number(outMeta.shape.at(-1)) : NaN);
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`${path}: cannot tell the class count from output ${outputName}`);
  const imageSize = imageDims[0] * imageDims[1] * imageDims[2];
  const run = async (input: Float32Array, images: number): Promise<Float32Array> => {
    const start = performance.now();
    const out = await session.run({ [inputName]: new ort.Tensor('float32', input, [images, ...imageDims]) }, [outputName]);
    opts.onRun?.(name, 'plain', images, (performance.now() - start) / 1000);
    return out[outputName].data as Float32Array;
  };
  const batcher = opts.batching ? new Batcher(run, imageSize, opts.maxBatchImages) : null;
  const unbatched = { runs: 0, images: 0 };
  const layers = probeableLayers(info, metadata?.layerOutputs);
  const activations = graphOutputActivations(bytes, layers, outputName, sessionOptions, (images, seconds) => opts.onRun?.(name, 'activations', images, seconds), logitsLayer(info, metadata?.layerOutputs));
  return {
    name,
    path,
    metadata,
    inputName,
    outputName,
    imageDims,
    classes,
    labels: metadata?.labels ?? Array.from({ length: classes }, (_, i) => String(i)),
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
function dims(input: ort.InferenceSession.ValueMetadata, metadata: ExportMetadata | null, path: string): [number, number, number] {
  if (metadata) return [metadata.inputSize.channels, metadata.inputSize.height, metadata.inputSize.width];
  const shape = input.isTensor ? input.shape.slice(1).map(Number) : [];
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${path}: input ${input.name} must be [N, C, H, W] with fixed C, H, W (got [${input.isTensor ? input.shape.join(', ') : 'non-tensor'}])`);
  }
  return shape as [number, number, number];
}
