/**
 * The probe JSON (DESIGN.md contract, fields beyond it are additions):
 *   { model, executionProvider, images, layers: [{ name, op, shape, channels: { min, max, mean, std, zeroFraction } }] }
 * Channel arrays are indexed by the NCHW channel (axis 1). NaN/±Inf are written as null (JSON has no NaN).
 * `shape` is one image's activation shape with batch 1 ([1, C, H, W] or [1, C]).
 */
import { z } from 'zod';

const num = z.number().nullable();
const arr = z.array(num);

export const channelStatsSchema = z.object({
  min: arr,
  max: arr,
  mean: arr,
  std: arr,
  zeroFraction: arr,
  /** Sigmoid taps: fraction of values < 0.01 / > 0.99 per channel. */
  lowFraction: arr.optional(),
  highFraction: arr.optional(),
});

export const layerSummarySchema = z.object({
  min: num,
  max: num,
  mean: num,
  std: num,
  /** Approximate percentiles over all channels and images (reservoir sample; see `percentiles`). */
  p1: num,
  p50: num,
  p99: num,
  zeroFraction: num,
  deadChannels: z.int().nonnegative(),
  nonFiniteChannels: z.int().nonnegative(),
  lowFraction: num.optional(),
  highFraction: num.optional(),
});

export const roleSchema = z.enum([
  'input',
  'conv',
  'fc',
  'pool',
  'gap',
  'norm',
  'activation',
  'se-gate',
  'se-excite',
  'se-fc',
  'add',
  'mul',
  'concat',
  'softmax',
  'other',
]);

export const layerSchema = z.object({
  name: z.string().min(1),
  op: z.string(),
  shape: z.array(z.int()),
  channels: channelStatsSchema,
  /** Raw ONNX node name and the head of the block the tap closes (e.g. the Conv before BN+ReLU). */
  node: z.string(),
  head: z.string(),
  headOp: z.string(),
  role: roleSchema,
  /** Position among the graph's nodes divided by their count: 0 = input end, 1 = output end. */
  depth: z.number().min(0).max(1),
  summary: layerSummarySchema,
  /** Per watch image (index as in `watchImages`) per channel: min and max over H, W. */
  watch: z.object({ min: z.array(arr), max: z.array(arr) }),
});

export const providerReportSchema = z.object({
  requested: z.string(),
  configured: z.array(z.string()),
  used: z.string(),
  nodesByProvider: z.record(z.string(), z.number()),
  notes: z.array(z.string()),
});

export const probeResultSchema = z.object({
  schemaVersion: z.literal(1),
  model: z.string(),
  /** Provider that actually ran (most kernel time in a profiled run): "cpu" | "cuda" | … */
  executionProvider: z.string(),
  images: z.int().nonnegative(),
  layers: z.array(layerSchema),
  providerReport: providerReportSchema,
  batchSize: z.int().positive(),
  /** Preprocessing card used (name) and whether the weights are a real pretrained reference. */
  card: z.string(),
  label: z.string().optional(),
  source: z.string(),
  input: layerSchema,
  watchImages: z.array(z.string()),
  /** max and mean cover every image; min, std, zero/saturation fractions and percentiles cover the first `fullStatImages`. */
  coverage: z.object({ fullStatImages: z.int().nonnegative(), note: z.string() }),
  percentiles: z.object({
    method: z.literal('reservoir'),
    capacity: z.int(),
    positionsPerImage: z.int(),
    note: z.string(),
  }),
  seconds: z.number().nonnegative(),
  miniEpoch: z.int().nonnegative().optional(),
});

export type ProbeResult = z.infer<typeof probeResultSchema>;
export type ProbeLayer = z.infer<typeof layerSchema>;
export type LayerRole = z.infer<typeof roleSchema>;

/** Validates a probe JSON read from disk; errors name the file and the field. */
export function parseProbeResult(raw: unknown, source = 'probe JSON'): ProbeResult {
  const r = probeResultSchema.safeParse(raw);
  if (!r.success) throw new Error(`${source} does not follow the probe schema:\n${z.prettifyError(r.error)}`);
  return r.data;
}
