import { z } from 'zod';

/**
 * The Keras model JSON as tfjs-layers writes it (snake_case, `toJSON()` / model.json `modelTopology`),
 * validated once here and normalized to one shape for functional and Sequential models.
 */
export type KerasShape = Array<number | null>;
export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}
export interface KerasLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** One entry per application of the layer (shared layers have several); each lists its input tensors. */
  inbound: TensorRef[][];
}
export interface KerasTopology {
  name: string;
  layers: KerasLayer[];
  inputs: TensorRef[];
  outputs: TensorRef[];
}

const ref = z.tuple([z.string(), z.number().int(), z.number().int()], z.unknown());
const layerSchema = z.object({
  name: z.string().optional(),
  class_name: z.string(),
  config: z.record(z.string(), z.unknown()),
  inbound_nodes: z.array(z.array(ref)).optional(),
});
const functionalSchema = z.object({
  class_name: z.enum(['Model', 'Functional']),
  config: z.object({
    name: z.string(),
    layers: z.array(layerSchema),
    input_layers: z.array(ref),
    output_layers: z.array(ref),
  }),
});
const sequentialSchema = z.object({
  class_name: z.literal('Sequential'),
  config: z.object({ name: z.string().optional(), layers: z.array(layerSchema).min(1) }),
});
const topologySchema = z.union([functionalSchema, sequentialSchema]);

const toRef = (r: z.infer<typeof ref>): TensorRef => ({ layer: r[0], node: r[1], tensor: r[2] });

function layerName(l: z.infer<typeof layerSchema>, index: number): string {
  const name = l.name ?? l.config.name;
  if (typeof name !== 'string') throw new Error(`model topology: layer #${index} (${l.class_name}) has no name`);
  return name;
}

/** Parses `modelTopology` (or its `model_config`, as Keras' own saver nests it); `where` names the file in errors. */
export function parseKerasTopology(raw: unknown, where: string): KerasTopology {
  const nested =
    typeof raw === 'object' && raw !== null && 'model_config' in raw
      ? (raw as { model_config: unknown }).model_config
      : raw;
  const parsed = topologySchema.safeParse(nested);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${where}: not a Keras layers-model topology (at ${issue?.path.join('.') || 'top level'}: ${issue?.message}); expected class_name Model, Functional or Sequential with config.layers`,
    );
  }
  const t = parsed.data;
  if (t.class_name !== 'Sequential') {
    const layers = t.config.layers.map((l, i) => ({
      name: layerName(l, i),
      className: l.class_name,
      config: l.config,
      inbound: (l.inbound_nodes ?? []).map((n) => n.map(toRef)),
    }));
    return {
      name: t.config.name,
      layers,
      inputs: t.config.input_layers.map(toRef),
      outputs: t.config.output_layers.map(toRef),
    };
  }
  // Sequential: chain the layers; the input is the first layer's batch_input_shape (or an explicit InputLayer).
  const seq = t.config.layers.map((l, i) => ({ name: layerName(l, i), className: l.class_name, config: l.config }));
  const first = seq[0];
  const layers: KerasLayer[] = [];
  if (first.className !== 'InputLayer') {
    const batchInputShape = first.config.batch_input_shape;
    if (!Array.isArray(batchInputShape))
      throw new Error(`${where}: Sequential model's first layer ${first.name} has no batch_input_shape`);
    layers.push({
      name: `${first.name}_input`,
      className: 'InputLayer',
      config: { batch_input_shape: batchInputShape },
      inbound: [],
    });
  }
  for (const l of seq) {
    const previous = layers[layers.length - 1];
    layers.push({
      ...l,
      inbound: l.className === 'InputLayer' ? [] : [[{ layer: previous.name, node: 0, tensor: 0 }]],
    });
  }
  const last = layers[layers.length - 1];
  return {
    name: t.config.name ?? 'sequential',
    layers,
    inputs: [{ layer: layers[0].name, node: 0, tensor: 0 }],
    outputs: [{ layer: last.name, node: 0, tensor: 0 }],
  };
}
