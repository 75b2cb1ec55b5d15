import type { BuiltModel, InputSpec, ModelSpec, ModelSpecInput, PresetName } from './spec.js';
import { modelSpecSchema } from './spec.js';
import { buildTiny } from './tiny.js';
import { buildModelM } from './model-m.js';
import { buildSeednet } from './seednet.js';
import { buildAlexnet } from './alexnet.js';
import { buildResnetMini } from './resnet-mini.js';
import './custom-objects.js';

type Builder = (input: InputSpec, spec: ModelSpec) => BuiltModel;

/** One entry per preset; the spec has already been validated against the preset's own schema. */
const builders: Record<PresetName, Builder> = {
  tiny: (input, spec) => buildTiny(input, spec as Extract<ModelSpec, { preset: 'tiny' }>),
  'model-m': (input, spec) => buildModelM(input, spec as Extract<ModelSpec, { preset: 'model-m' }>),
  seednet: (input, spec) => buildSeednet(input, spec as Extract<ModelSpec, { preset: 'seednet' }>),
  alexnet: (input, spec) => buildAlexnet(input, spec as Extract<ModelSpec, { preset: 'alexnet' }>),
  'resnet-mini': (input, spec) => buildResnetMini(input, spec as Extract<ModelSpec, { preset: 'resnet-mini' }>),
};

export const presetNames = Object.keys(builders) as PresetName[];

/** Validates a model spec; the error names the field at fault and the known presets. */
export function parseModelSpec(raw: unknown): ModelSpec {
  const result = modelSpecSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `model.${i.path.join('.') || 'preset'}: ${i.message}`).join('; ');
    throw new Error(`invalid model spec: ${issues} (known presets: ${presetNames.join(', ')})`);
  }
  return result.data;
}

export function buildModel(input: InputSpec, raw: ModelSpecInput | ModelSpec): BuiltModel {
  const spec = parseModelSpec(raw);
  return builders[spec.preset](input, spec);
}
