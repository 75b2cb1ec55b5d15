/**
 * Which card applies to a model: `--card` (built-in name or JSON path), else the model's own metadata
 * (actprobe exports carry their preprocessing), else the input shape with identity preprocessing —
 * actprobe models take the data sources' [0, 1] pixels as they are.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { METADATA_KEYS as EXPORT_KEYS } from '../../onnx/metadata.js';
import type { OnnxModel } from '../../onnx/model.js';
import { builtinCard } from './builtin.js';
import { parseCard, readCardFile, type ModelCard } from './card.js';

/** metadata_props keys read: the exporter's (onnx/metadata.ts, the one list of keys). */
export const METADATA_KEYS = {
  preprocessing: [EXPORT_KEYS.preprocessing],
  labels: [EXPORT_KEYS.labels],
} as const;

/**
 * The exporter's metadata (onnx/metadata.ts) states preprocessing on 8-bit pixels: (byte · scale − mean) / std,
 * channel order RGB | BGR | L. Cards state it on [0, 1] pixels, so a metadata scale becomes scale · 255 here.
 */
const preprocessingSchema = z.object({
  scale: z.number().positive().optional(),
  mean: z.union([z.number(), z.array(z.number())]).optional(),
  std: z.union([z.number(), z.array(z.number().positive())]).optional(),
  channelOrder: z.enum(['RGB', 'BGR', 'gray', 'L']).optional(),
});

export async function resolveCard(arg: string | undefined, model: OnnxModel, modelPath: string): Promise<ModelCard> {
  const card =
    arg === undefined
      ? cardFromModel(model, modelPath)
      : arg.endsWith('.json') || existsSync(arg)
        ? await readCardFile(arg)
        : builtinCard(arg);
  checkCardFits(card, model, modelPath);
  return card;
}

export function cardFromModel(model: OnnxModel, modelPath: string): ModelCard {
  const input = model.inputs[0];
  if (!input) throw new Error(`${modelPath} has no graph input; cannot probe it.`);
  const shape = input.shape ?? [];
  const [, c, h, w] = shape;
  if (shape.length !== 4 || typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number') {
    throw new Error(
      `${modelPath}: input "${input.name}" has shape [${shape.join(', ')}], not [N, C, H, W] with fixed C, H, W; pass --card with its size and preprocessing.`,
    );
  }
  if (c !== 1 && c !== 3)
    throw new Error(`${modelPath}: input "${input.name}" has ${c} channels; the probe feeds images (1 or 3 channels).`);
  const meta = (keys: readonly string[]): string | undefined =>
    keys.map((k) => model.metadata[k]).find((v) => v !== undefined);
  const pre =
    parseJson(meta(METADATA_KEYS.preprocessing), preprocessingSchema, `${modelPath} metadata "preprocessing"`) ?? {};
  const perChannel = (v: number | number[] | undefined, fallback: number): number[] =>
    Array.isArray(v) ? v : Array.from({ length: c }, () => v ?? fallback);
  const labelsRaw = meta(METADATA_KEYS.labels);
  const labels =
    labelsRaw === undefined
      ? undefined
      : labelsRaw.trim().startsWith('[')
        ? (parseJson(labelsRaw, z.array(z.string()), `${modelPath} metadata "labels"`) ?? [])
        : labelsRaw.split(',');
  const output = model.outputs[0]?.name ?? 'output';
  const classes = model.outputs[0]?.shape?.[1];
  return parseCard(
    {
      name: basename(modelPath),
      description:
        pre.scale !== undefined
          ? 'preprocessing from the model metadata'
          : 'identity preprocessing ([0, 1] pixels, as actprobe trains)',
      pretrained: false,
      input: {
        name: input.name,
        height: h,
        width: w,
        channels: c,
        channelOrder:
          pre.channelOrder === 'L' || (pre.channelOrder === undefined && c === 1)
            ? 'gray'
            : (pre.channelOrder ?? 'RGB'),
        scale: pre.scale === undefined ? 1 : pre.scale * 255,
        mean: perChannel(pre.mean, 0),
        std: perChannel(pre.std, 1),
      },
      output: { name: output, kind: output === 'probabilities' ? 'probabilities' : 'logits' },
      classes: typeof classes === 'number' && classes > 0 ? classes : labels?.length || 1,
      labels,
    },
    `${modelPath} (from its metadata)`,
  );
}

function checkCardFits(card: ModelCard, model: OnnxModel, modelPath: string): void {
  const input = model.inputs.find((i) => i.name === card.input.name);
  if (!input) {
    throw new Error(
      `Card "${card.name}" names input "${card.input.name}" but ${modelPath} has inputs: ${model.inputs.map((i) => i.name).join(', ') || 'none'}. Pass the card that belongs to this model.`,
    );
  }
  const [, c, h, w] = input.shape ?? [];
  const want = [card.input.channels, card.input.height, card.input.width];
  [c, h, w].forEach((d, k) => {
    if (typeof d === 'number' && d !== want[k]) {
      throw new Error(
        `Card "${card.name}" expects input [N, ${want.join(', ')}] but ${modelPath} declares [${(input.shape ?? []).join(', ')}] for "${input.name}".`,
      );
    }
  });
}

function parseJson<T>(text: string | undefined, schema: z.ZodType<T>, what: string): T | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not JSON: ${text.slice(0, 80)}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`${what} is invalid:\n${z.prettifyError(r.error)}`);
  return r.data;
}
