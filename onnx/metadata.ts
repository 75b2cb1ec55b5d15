import { z } from 'zod';

/**
 * What an exported model says about itself in ONNX `metadata_props` (string → string; structured values are
 * JSON): the one list of keys (`METADATA_KEYS`) that export writes and probe and serve read, and the typed
 * metadata behind them. Consumers read it back with `parseExportMetadata`; this file imports no tfjs.
 */
export const PRODUCER_NAME = 'actprobe';
export const PRODUCER_VERSION = '0.1.0';

const preprocessingSchema = z.object({
  /** Pixel multiplier applied first (1/255: bytes → [0, 1]). */
  scale: z.number(),
  /** Per-channel mean and std applied after scaling: (p·scale − mean) / std. */
  mean: z.array(z.number()),
  std: z.array(z.number()),
  channelOrder: z.enum(['RGB', 'BGR', 'L']),
});
export type Preprocessing = z.infer<typeof preprocessingSchema>;

export const exportMetadataSchema = z.object({
  labels: z.array(z.string()),
  inputSize: z.object({ height: z.number().int(), width: z.number().int(), channels: z.number().int() }),
  preprocessing: preprocessingSchema.optional(),
  producer: z.string(),
  sourceFormat: z.enum(['layers-model', 'graph-model', 'in-memory']),
  sourceRun: z.string().optional(),
  sourceCheckpoint: z.string().optional(),
  /** Keras layer (or TF node) name → ONNX value holding its output (e.g. conv1 → conv1/relu when fused). */
  layerOutputs: z.record(z.string(), z.string()),
});
export type ExportMetadata = z.infer<typeof exportMetadataSchema>;

const JSON_KEYS = {
  labels: 'labels',
  inputSize: 'input_size',
  preprocessing: 'preprocessing',
  layerOutputs: 'layer_outputs',
} as const;
const TEXT_KEYS = {
  producer: 'producer',
  sourceFormat: 'source_format',
  sourceRun: 'source_run',
  sourceCheckpoint: 'source_checkpoint',
} as const;

/** Every `metadata_props` key actprobe writes, by the field it holds (`layout` is always `NCHW`). */
export const METADATA_KEYS = { ...JSON_KEYS, ...TEXT_KEYS, layout: 'layout' } as const;

/** Keys only an actprobe export writes: a model carrying one is read with `parseExportMetadata`, strictly. */
const EXPORT_ONLY_KEYS = [METADATA_KEYS.labels, METADATA_KEYS.inputSize, METADATA_KEYS.layerOutputs];

export function hasExportMetadata(props: Record<string, string>): boolean {
  return EXPORT_ONLY_KEYS.some((k) => k in props);
}

export function toMetadataProps(m: ExportMetadata): Record<string, string> {
  const props: Record<string, string> = { [METADATA_KEYS.layout]: 'NCHW' };
  for (const [field, k] of Object.entries(JSON_KEYS)) {
    const v = m[field as keyof typeof JSON_KEYS];
    if (v !== undefined) props[k] = JSON.stringify(v);
  }
  for (const [field, k] of Object.entries(TEXT_KEYS)) {
    const v = m[field as keyof typeof TEXT_KEYS];
    if (v !== undefined) props[k] = v;
  }
  return props;
}

/** Reads `metadata_props` back (e.g. from onnxruntime's session metadata); errors name the key at fault. */
export function parseExportMetadata(props: Record<string, string>): ExportMetadata {
  const raw: Record<string, unknown> = {};
  for (const [field, k] of Object.entries(JSON_KEYS)) {
    if (props[k] === undefined) continue;
    try {
      raw[field] = JSON.parse(props[k]);
    } catch {
      throw new Error(`ONNX metadata_props.${k} is not JSON: ${props[k].slice(0, 80)}`);
    }
  }
  for (const [field, k] of Object.entries(TEXT_KEYS)) if (props[k] !== undefined) raw[field] = props[k];
  const parsed = exportMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const field = String(i?.path[0] ?? '');
    const k = METADATA_KEYS[field as keyof typeof METADATA_KEYS] ?? field;
    throw new Error(
      `ONNX metadata_props.${[k, ...(i?.path.slice(1) ?? [])].join('.')}: ${i?.message} (as written by ${PRODUCER_NAME} export)`,
    );
  }
  return parsed.data;
}
