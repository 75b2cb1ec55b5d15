/**
 * The whole activation path of the server behind one interface, so it can switch to probe/'s in-graph
 * per-channel reductions (≈1.3× plain inference instead of ≈2×, docs/DESIGN.md) without touching routes.
 * For now `graphOutputActivations` appends the chosen layer outputs to the graph and reduces in JS.
 */
import * as ort from 'onnxruntime-node';
import type { OnnxModel } from '../onnx/model.js';
import { appendToGraph } from '../onnx/patch.js';
import type { ChannelStats } from '../probe/stats/types.js';
import { unprocessable } from './errors.js';
import { channelStats } from './models/channel-stats.js';

export type { ChannelStats };

export interface LayerInfo {
  /** Keras layer name (e.g. `conv1`), or the node name for models without actprobe metadata. */
  name: string;
  /** ONNX op producing the value (e.g. `Relu` when the activation was fused into the layer). */
  op: string;
  /** ONNX value holding the layer output. */
  value: string;
}

export interface LayerActivation {
  name: string;
  op: string;
  /** One image's shape, batch 1 (as in the probe JSON). */
  shape: number[];
  channels: ChannelStats;
  /** `full` only: the raw NCHW values for every image of the request. */
  data?: Float32Array;
}

export interface ActivationRequest {
  mode: 'stats' | 'full';
  /** Layer names; all probe-able layers when absent. */
  layers?: readonly string[];
}

/** Most values a `full` answer may carry (≈ 50 MB of JSON): beyond it, ask for fewer layers or images. */
export const MAX_FULL_VALUES = 4_000_000;

export interface ActivationSource {
  /** The layers answered by default (all of them when a request names none). */
  readonly layers: readonly LayerInfo[];
  /** The classifier's pre-softmax output, answered when asked for by its layer name; null when there is none. */
  readonly logits: LayerInfo | null;
  /** Runs `input` (NCHW, `images` images) and returns the model output plus the requested layers. */
  run(input: ort.Tensor, req: ActivationRequest): Promise<{ output: ort.Tensor; layers: LayerActivation[] }>;
  /** Model bytes the browser page runs to see the same layers with onnxruntime-web. */
  browserModel(): Uint8Array;
  close(): Promise<void>;
}

/** Layers named by the exporter's `layer_outputs` metadata, else every node's first output. */
export function probeableLayers(
  model: Pick<OnnxModel, 'nodes' | 'outputs'>,
  layerOutputs: Record<string, string> | undefined,
): LayerInfo[] {
  const producer = new Map<string, string>();
  for (const n of model.nodes) for (const o of n.outputs) producer.set(o, n.opType);
  const graphOutputs = new Set(model.outputs.map((o) => o.name));
  if (layerOutputs) {
    return Object.entries(layerOutputs)
      .filter(([, value]) => producer.has(value) && !graphOutputs.has(value))
      .map(([name, value]) => ({ name, op: producer.get(value)!, value }));
  }
  return model.nodes
    .filter((n) => n.outputs[0] && !graphOutputs.has(n.outputs[0]))
    .map((n) => ({ name: n.name || n.outputs[0], op: n.opType, value: n.outputs[0] }));
}

/**
 * The final layer's logits. Its `layer_outputs` value is the graph output (after the fused softmax), which
 * `probeableLayers` leaves out; the Softmax node's input is the value a user means by "the classifier".
 */
export function logitsLayer(
  model: Pick<OnnxModel, 'nodes' | 'outputs'>,
  layerOutputs: Record<string, string> | undefined,
): LayerInfo | null {
  const graphOutputs = new Set(model.outputs.map((o) => o.name));
  const softmax = model.nodes.find((n) => n.opType === 'Softmax' && graphOutputs.has(n.outputs[0]));
  const value = softmax?.inputs[0];
  if (!softmax || !value) return null;
  const producer = model.nodes.find((n) => n.outputs.includes(value));
  const name =
    Object.entries(layerOutputs ?? {}).find(([, v]) => v === softmax.outputs[0])?.[0] ?? producer?.name ?? value;
  return { name, op: producer?.opType ?? 'unknown', value };
}

export function graphOutputActivations(
  model: Uint8Array,
  layers: LayerInfo[],
  outputName: string,
  options: ort.InferenceSession.SessionOptions,
  onRun?: (images: number, seconds: number) => void,
  logits: LayerInfo | null = null,
): ActivationSource {
  // Two layers can share a value (e.g. Dropout is the identity at inference): append each value once. No
  // elemType: onnxruntime infers the type of each added output.
  const tapped = appendToGraph(model, { outputs: [...new Set(layers.map((l) => l.value))].map((name) => ({ name })) });
  // Created on first use: most traffic never asks for activations, and the extra outputs break Conv+ReLU
  // fusion, so plain inference keeps its own untapped session.
  let session: Promise<ort.InferenceSession> | null = null;
  // The browser page runs `tapped`; the server's session also carries the logits, fetched only when named.
  const served = logits ? appendToGraph(tapped, { outputs: [{ name: logits.value }] }) : tapped;
  const byName = new Map(layers.map((l) => [l.name, l]));
  if (logits && !byName.has(logits.name)) byName.set(logits.name, logits);
  return {
    layers,
    logits,
    browserModel: () => tapped,
    async run(input, req) {
      const chosen = (req.layers ?? layers.map((l) => l.name)).map((name) => {
        const l = byName.get(name);
        if (!l) throw unprocessable(`unknown layer "${name}"; probe-able layers: ${[...byName.keys()].join(', ')}`);
        return l;
      });
      session ??= ort.InferenceSession.create(served, options);
      const s = await session;
      const start = performance.now();
      const out = await s.run({ [s.inputNames[0]]: input }, [...new Set([outputName, ...chosen.map((l) => l.value)])]);
      onRun?.(input.dims[0], (performance.now() - start) / 1000);
      const values = chosen.reduce((n, l) => n + out[l.value].size, 0);
      if (req.mode === 'full' && values > MAX_FULL_VALUES) {
        throw unprocessable(
          `full maps of ${chosen.length} layers hold ${values} values, over the ${MAX_FULL_VALUES} limit; list fewer layers (parameters.layers / ?layers=) or use stats`,
        );
      }
      return {
        output: out[outputName],
        layers: chosen.map((l) => {
          const t = out[l.value];
          const data = t.data as Float32Array;
          const shape = t.dims.map(Number);
          return {
            name: l.name,
            op: l.op,
            shape: [1, ...shape.slice(1)],
            channels: channelStats(data, shape),
            data: req.mode === 'full' ? data : undefined,
          };
        }),
      };
    },
    async close() {
      if (session) await (await session).release();
    },
  };
}
