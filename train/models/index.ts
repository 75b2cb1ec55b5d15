export { buildModel, parseModelSpec, presetNames } from './registry.js';
export { modelSpecSchema } from './spec.js';
export type { ActivityPenalty, BuiltModel, InputSpec, ModelSpec, ModelSpecInput, PresetName } from './spec.js';
export { LocalResponseNormalization, registerCustomObjects } from './custom-objects.js';
export { seedInitialWeights } from './seed-weights.js';
