/**
 * Fixture ONNX models built with the project's own encoder (onnx/encode.ts), so the tests that use them run
 * everywhere; where Debian's python3-onnx is present, test/onnx/read-patch.test.ts also passes them through
 * onnx.checker as an independent check.
 */
import { encodeModel } from '../../onnx/encode.js';
import { attr, type ModelSpec, type NodeSpec, type TensorSpec, type ValueInfoSpec } from '../../onnx/spec.js';

const node = (
  opType: string,
  inputs: string[],
  output: string,
  name: string,
  attributes: NodeSpec['attributes'] = {},
): NodeSpec => ({ name, opType, inputs, outputs: [output], attributes });
const floatInfo = (name: string, shape: Array<number | string>): ValueInfoSpec => ({ name, type: 'float', shape });
const int64s = (name: string, values: number[]): TensorSpec => ({
  name,
  type: 'int64',
  dims: [values.length],
  data: BigInt64Array.from(values.map(BigInt)),
});

function model(
  name: string,
  opset: number,
  nodes: NodeSpec[],
  initializers: TensorSpec[],
  input: ValueInfoSpec,
  output: ValueInfoSpec,
  metadata: Record<string, string> = {},
): Uint8Array {
  const spec: ModelSpec = {
    irVersion: 8,
    opsetVersion: opset,
    producerName: 'actprobe-test',
    producerVersion: '0',
    docString: '',
    metadata,
    graph: { name, nodes, initializers, inputs: [input], outputs: [output] },
  };
  return encodeModel(spec);
}

/**
 * Hand-checkable graph: ReLU and sigmoid of the input, an SE-style gate on the spatial mean; `opset` moves the
 * Reduce/Unsqueeze axes between attribute and input as ONNX did (Unsqueeze at 13, ReduceMean at 18).
 */
export function tinyStats(opset = 13): Uint8Array {
  const mean =
    opset >= 18
      ? node('ReduceMean', ['input', 'rax'], 'g', 'squeeze', { keepdims: attr.int(0) })
      : node('ReduceMean', ['input'], 'g', 'squeeze', { axes: attr.ints([2, 3]), keepdims: attr.int(0) });
  const unsqueeze =
    opset >= 13
      ? node('Unsqueeze', ['gate', 'ax'], 'gate4', 'gate_reshape')
      : node('Unsqueeze', ['gate'], 'gate4', 'gate_reshape', { axes: attr.ints([2, 3]) });
  const nodes = [
    node('Relu', ['input'], 'r', 'act_relu'),
    node('Sigmoid', ['input'], 's', 'act_sigmoid'),
    mean,
    node('Sigmoid', ['g'], 'gate', 'squeeze/sigmoid'),
    unsqueeze,
    node('Mul', ['r', 'gate4'], 'scaled', 'se_scale'),
    node('Add', ['scaled', 's'], 'probabilities', 'sum'),
  ];
  const inits = [...(opset >= 13 ? [int64s('ax', [2, 3])] : []), ...(opset >= 18 ? [int64s('rax', [2, 3])] : [])];
  return model(
    'tiny',
    opset,
    nodes,
    inits,
    floatInfo('input', ['N', 3, 3, 3]),
    floatInfo('probabilities', ['N', 3, 3, 3]),
  );
}

/** Seeded normal values (Box–Muller over a 32-bit LCG), so the fixture is the same on every run. */
function normals(count: number, std: number, state: { s: number }): Float32Array {
  const uniform = (): number => {
    state.s = (Math.imul(state.s, 1664525) + 1013904223) >>> 0;
    return (state.s + 1) / 4294967297;
  };
  return Float32Array.from(
    { length: count },
    () => std * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
}

/** Model M as actprobe's exporter names it (conv1, conv1_bn, conv1_relu, se1_excite/sigmoid, …), random weights. */
export function kerasM(): Uint8Array {
  const rng = { s: 0 };
  const inits: TensorSpec[] = [];
  const nodes: NodeSpec[] = [];
  const weight = (name: string, dims: number[], std: number, fill?: number): string => {
    const count = dims.reduce((a, b) => a * b, 1);
    inits.push({
      name,
      type: 'float',
      dims,
      data: fill === undefined ? normals(count, std, rng) : new Float32Array(count).fill(fill),
    });
    return name;
  };
  const convBlock = (x: string, name: string, cin: number, cout: number): string => {
    nodes.push(
      node('Conv', [x, weight(`${name}/kernel`, [cout, cin, 3, 3], Math.sqrt(2 / (cin * 9)))], name, name, {
        pads: attr.ints([1, 1, 1, 1]),
      }),
    );
    const bn = [
      weight(`${name}_bn/gamma`, [cout], 0, 1),
      weight(`${name}_bn/beta`, [cout], 0.1),
      weight(`${name}_bn/mean`, [cout], 0.1),
      weight(`${name}_bn/var`, [cout], 0, 1),
    ];
    nodes.push(node('BatchNormalization', [name, ...bn], `${name}_bn`, `${name}_bn`, { epsilon: attr.float(1e-3) }));
    nodes.push(node('Relu', [`${name}_bn`], `${name}_relu`, `${name}_relu`));
    return `${name}_relu`;
  };
  const dense = (x: string, name: string, cin: number, cout: number, act: 'Relu' | 'Sigmoid' | 'Softmax'): string => {
    nodes.push(
      node(
        'Gemm',
        [x, weight(`${name}/kernel`, [cin, cout], Math.sqrt(2 / cin)), weight(`${name}/bias`, [cout], 0.01)],
        name,
        name,
      ),
    );
    const out = `${name}/${act.toLowerCase()}`;
    nodes.push(node(act, [name], out, out));
    return out;
  };
  const [c1, c2, c3] = [32, 64, 128];
  let x = convBlock('input', 'conv1', 1, c1);
  nodes.push(node('MaxPool', [x], 'pool1', 'pool1', { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }));
  x = convBlock('pool1', 'conv2', c1, c2);
  nodes.push(node('MaxPool', [x], 'pool2', 'pool2', { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }));
  x = convBlock('pool2', 'conv3', c2, c3);
  nodes.push(node('GlobalAveragePool', [x], 'se1_pool4', 'se1_pool'));
  nodes.push(node('Flatten', ['se1_pool4'], 'se1_pool_flat', 'se1_pool/flatten'));
  const s = dense('se1_pool_flat', 'se1_squeeze', c3, c3 / 16, 'Relu');
  const e = dense(s, 'se1_excite', c3 / 16, c3, 'Sigmoid');
  inits.push(int64s('se1_reshape/shape', [-1, c3, 1, 1]));
  nodes.push(node('Reshape', [e, 'se1_reshape/shape'], 'se1_reshape', 'se1_reshape'));
  nodes.push(node('Mul', [x, 'se1_reshape'], 'se1_scale', 'se1_scale'));
  nodes.push(node('GlobalAveragePool', ['se1_scale'], 'gap4', 'gap'));
  nodes.push(node('Flatten', ['gap4'], 'gap_flat', 'gap/flatten'));
  const y = dense('gap_flat', 'classifier', c3, 10, 'Softmax');
  nodes.push(node('Identity', [y], 'probabilities', 'output'));
  const preprocessing = JSON.stringify({ scale: 1 / 255, mean: [0], std: [1], channelOrder: 'L' });
  return model(
    'model_m',
    17,
    nodes,
    inits,
    floatInfo('input', ['N', 1, 28, 28]),
    floatInfo('probabilities', ['N', 10]),
    { preprocessing },
  );
}
