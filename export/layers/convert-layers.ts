import { onnxShape } from '../layout.js';
import type { HostArray } from '../layout.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { GraphSpec, ValueInfoSpec } from '../../onnx/spec.js';
import { emitterFor, hasEmitter, supportedClasses } from '../emitters/registry.js';
import type { KTensor } from '../emitters/types.js';
import type { LayersSource } from './source.js';
import type { KerasLayer, KerasShape, KerasTopology, TensorRef } from './topology.js';

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'probabilities';

/** Where each Keras layer's output lives in the ONNX graph: what parity compares and probes tap. */
export interface LayerOutput {
  layer: string;
  className: string;
  /** Which application of the layer (0 unless the layer is shared). */
  node: number;
  value: string;
  shape: KerasShape;
}

export interface ConvertedGraph {
  graph: GraphSpec;
  layers: LayerOutput[];
  /** [height, width, channels] of one input image. */
  inputSize: [number, number, number];
}

/** How a layer application is named in metadata and parity.json: `conv1`, or `shared:1` for a shared layer's 2nd use. */
export const layerKey = (l: Pick<LayerOutput, 'layer' | 'node'>): string =>
  l.node === 0 ? l.layer : `${l.layer}:${l.node}`;

const key = (r: TensorRef): string => `${r.layer}:${r.node}:${r.tensor}`;

/** An ONNX value type from a Keras shape: NCHW for rank 4, unknown sizes as symbols, the batch always `N`. */
export function valueInfo(name: string, kerasShape: KerasShape): ValueInfoSpec {
  return { name, type: 'float', shape: onnxShape(kerasShape).map((d, i) => (i === 0 ? 'N' : (d ?? `d${i}`))) };
}

function inputLayer(layers: KerasLayer[], ref: TensorRef, modelName: string): { layer: KerasLayer; shape: KerasShape } {
  const layer = layers.find((l) => l.name === ref.layer);
  const shape = layer?.config.batch_input_shape;
  if (layer?.className !== 'InputLayer' || !Array.isArray(shape))
    throw new Error(`model ${modelName}: input ${ref.layer} is not an InputLayer with batch_input_shape`);
  if (shape.length !== 4 || shape.slice(1).some((d) => typeof d !== 'number')) {
    throw new Error(
      `model ${modelName}: input ${ref.layer} has shape [${shape.join(', ')}]; the exporter needs a fixed image input [batch, height, width, channels]`,
    );
  }
  return { layer, shape: shape as KerasShape };
}

/** Throws, listing every layer whose class has no emitter (with the supported list), before anything is converted. */
export function checkLayerClasses(t: KerasTopology, where: string): void {
  const unsupported = t.layers.filter((l) => l.className !== 'InputLayer' && !hasEmitter(l.className));
  if (unsupported.length > 0) {
    const list = unsupported.map((l) => `${l.name} (${l.className})`).join(', ');
    throw new Error(
      `${where}: layers without an ONNX emitter: ${list}; supported classes: ${supportedClasses.join(', ')}`,
    );
  }
}

/** Converts a Keras functional graph, layer by layer in dependency order, through the emitter registry. */
export function convertLayers(source: LayersSource): ConvertedGraph {
  const { topology: t } = source;
  if (t.inputs.length !== 1 || t.outputs.length !== 1)
    throw new Error(
      `model ${t.name}: has ${t.inputs.length} inputs and ${t.outputs.length} outputs; the exporter needs exactly one of each`,
    );
  checkLayerClasses(t, `model ${t.name}`);
  const input = inputLayer(t.layers, t.inputs[0], t.name);
  const g = new GraphBuilder([INPUT_NAME]);
  const values = new Map<string, KTensor>([[key(t.inputs[0]), { value: INPUT_NAME, shape: input.shape }]]);
  const outputs: LayerOutput[] = [];
  let pending = t.layers.flatMap((layer) => layer.inbound.map((refs, node) => ({ layer, node, refs })));
  while (pending.length > 0) {
    const ready = pending.filter((p) => p.refs.every((r) => values.has(key(r))));
    if (ready.length === 0)
      throw new Error(
        `model ${t.name}: layers ${pending.map((p) => p.layer.name).join(', ')} wait for inputs that no layer produces`,
      );
    for (const { layer, node, refs } of ready) {
      const name = layerKey({ layer: layer.name, node });
      const weights: Map<string, HostArray> = source.weights(layer.name);
      const outputShape = source.outputShape(layer.name, node);
      const value = emitterFor(layer.name, layer.className).emit(
        {
          name,
          className: layer.className,
          inputs: refs.map((r) => values.get(key(r)) as KTensor),
          outputShape,
          graph: g,
          weight: (k) => {
            const w = weights.get(k);
            if (!w)
              throw new Error(
                `layer ${layer.name} (${layer.className}): has no weight "${k}" (it has: ${[...weights.keys()].join(', ') || 'none'})`,
              );
            return w;
          },
        },
        layer.config,
      );
      values.set(key({ layer: layer.name, node, tensor: 0 }), { value, shape: outputShape });
      outputs.push({ layer: layer.name, className: layer.className, node, value, shape: outputShape });
    }
    pending = pending.filter((p) => !ready.includes(p));
  }
  const final = values.get(key(t.outputs[0]));
  if (!final || final.value === INPUT_NAME)
    throw new Error(`model ${t.name}: output ${t.outputs[0].layer} computes nothing from the input`);
  g.rename(final.value, OUTPUT_NAME);
  for (const o of outputs) if (o.value === final.value) o.value = OUTPUT_NAME;
  const [, h, w, c] = input.shape as number[];
  return {
    graph: g.build(t.name, [valueInfo(INPUT_NAME, input.shape)], [valueInfo(OUTPUT_NAME, final.shape)]),
    layers: outputs,
    inputSize: [h, w, c],
  };
}
