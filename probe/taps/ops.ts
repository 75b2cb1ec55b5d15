/** Op-type vocabularies the tap selection and the human names share. */

/**
 * Default tap points: every op whose output a user reasons about as "a layer's activations". Local pools
 * (MaxPool, AveragePool) are left out: a max-pool of a ReLU block mostly repeats that block's statistics and
 * costs a full set of reductions; `--ops` adds them back (POOL_OPS).
 */
export const DEFAULT_TAP_OPS = [
  'Conv',
  'ConvTranspose',
  'Gemm',
  'MatMul',
  'Relu',
  'LeakyRelu',
  'Elu',
  'Selu',
  'Sigmoid',
  'HardSigmoid',
  'Tanh',
  'Clip',
  'PRelu',
  'Softplus',
  'HardSwish',
  'Softmax',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'ReduceMean',
  'LRN',
  'Add',
  'Mul',
  'Concat',
  'BatchNormalization',
] as const;

export const POOL_OPS = ['MaxPool', 'AveragePool'] as const;

export const ACTIVATION_OPS = new Set([
  'Relu',
  'LeakyRelu',
  'Elu',
  'Selu',
  'Sigmoid',
  'HardSigmoid',
  'Tanh',
  'Clip',
  'PRelu',
  'Softplus',
  'HardSwish',
]);

/**
 * Ops that continue a block: the tap goes after them so onnxruntime can still fuse Conv+BN+activation
 * (a tapped intermediate has a second consumer and blocks the fusion; docs/DESIGN.md, Measurements).
 */
export const FOLLOWER_OPS = new Set([...ACTIVATION_OPS, 'BatchNormalization']);

/** Ops that carry a tensor through unchanged in value (used to see that a sigmoid gates a Mul). */
export const PASS_THROUGH_OPS = new Set(['Reshape', 'Unsqueeze', 'Flatten', 'Identity', 'Squeeze', 'Expand']);

export const SIGMOID_OPS = new Set(['Sigmoid', 'HardSigmoid']);

/** Kind prefix for counter names (`conv2`, `fc1`); ops missing here use their lower-cased type. */
export const KIND_OF_OP: Record<string, string> = {
  Conv: 'conv',
  ConvTranspose: 'deconv',
  Gemm: 'fc',
  MatMul: 'fc',
  MaxPool: 'pool',
  AveragePool: 'avgpool',
  GlobalAveragePool: 'gap',
  GlobalMaxPool: 'gmp',
  ReduceMean: 'gap',
  LRN: 'lrn',
  BatchNormalization: 'bn',
};

/** `se-excite`: an SE block's excitation pre-activations (the gate sigmoid's input). */
export type Role =
  | 'input'
  | 'conv'
  | 'fc'
  | 'pool'
  | 'gap'
  | 'norm'
  | 'activation'
  | 'se-gate'
  | 'se-excite'
  | 'se-fc'
  | 'add'
  | 'mul'
  | 'concat'
  | 'softmax'
  | 'other';

export function roleOfOp(op: string): Role {
  if (op === 'Conv' || op === 'ConvTranspose') return 'conv';
  if (op === 'Gemm' || op === 'MatMul') return 'fc';
  if (op === 'MaxPool' || op === 'AveragePool') return 'pool';
  if (op === 'GlobalAveragePool' || op === 'GlobalMaxPool' || op === 'ReduceMean') return 'gap';
  if (op === 'LRN' || op === 'BatchNormalization') return 'norm';
  if (ACTIVATION_OPS.has(op)) return 'activation';
  if (op === 'Add') return 'add';
  if (op === 'Mul') return 'mul';
  if (op === 'Concat') return 'concat';
  if (op === 'Softmax') return 'softmax';
  return 'other';
}
