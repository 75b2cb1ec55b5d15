import type * as tf from '@tensorflow/tfjs';
import { convertLayers, layerKey } from './layers/convert-layers.js';
import type { ConvertedGraph, LayerOutput } from './layers/convert-layers.js';
import { layersSourceFromModel } from './layers/source.js';
import { PRODUCER_NAME, PRODUCER_VERSION, toMetadataProps } from '../onnx/metadata.js';
import type { ExportMetadata, Preprocessing } from '../onnx/metadata.js';
import { encodeModel } from '../onnx/encode.js';
import type { ModelSpec } from '../onnx/spec.js';

/** ONNX IR 8 with the default-domain opset 17: what onnxruntime ≥ 1.13 and Debian's python3-onnx both accept. */
export const IR_VERSION = 8;
export const OPSET = 17;

export interface ExportOptions {
  labels?: string[];
  preprocessing?: Preprocessing;
  sourceRun?: string;
  sourceCheckpoint?: string;
  sourceFormat?: ExportMetadata['sourceFormat'];
}

export interface ExportResult {
  model: ModelSpec;
  /** Every converted layer (or graph node) and the ONNX value with its output, in graph order. */
  layers: LayerOutput[];
  metadata: ExportMetadata;
  /** The serialized ModelProto (encoded on each call; keep the result). */
  encode(): Uint8Array;
}

/** Wraps a converted graph into a ModelProto with its metadata; shared by the layers and graph-model paths. */
export function assembleModel(converted: ConvertedGraph, classes: number, opts: ExportOptions): ExportResult {
  const [height, width, channels] = converted.inputSize;
  const metadata: ExportMetadata = {
    labels: opts.labels ?? Array.from({ length: classes }, (_, i) => String(i)),
    inputSize: { height, width, channels },
    preprocessing: opts.preprocessing,
    producer: `${PRODUCER_NAME} export ${PRODUCER_VERSION}`,
    sourceFormat: opts.sourceFormat ?? 'in-memory',
    sourceRun: opts.sourceRun,
    sourceCheckpoint: opts.sourceCheckpoint,
    layerOutputs: Object.fromEntries(converted.layers.map((l) => [layerKey(l), l.value])),
  };
  if (metadata.labels.length !== classes)
    throw new Error(`export: ${metadata.labels.length} labels given for a model with ${classes} outputs`);
  const model: ModelSpec = {
    irVersion: IR_VERSION,
    opsetVersion: OPSET,
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    docString: `${converted.graph.name}: input NCHW float32 [N, ${channels}, ${height}, ${width}], output probabilities [N, ${classes}]`,
    graph: converted.graph,
    metadata: toMetadataProps(metadata),
  };
  return { model, layers: converted.layers, metadata, encode: () => encodeModel(model) };
}

/** tfjs LayersModel (in memory, or loaded from a checkpoint) → ONNX. */
export function exportLayersModel(model: tf.LayersModel, opts: ExportOptions = {}): ExportResult {
  const converted = convertLayers(layersSourceFromModel(model));
  const out = converted.graph.outputs[0].shape;
  const classes = out[out.length - 1];
  if (out.length !== 2 || typeof classes !== 'number')
    throw new Error(`model ${model.name}: output shape [${out.join(', ')}] is not [batch, classes]`);
  return assembleModel(converted, classes, opts);
}
