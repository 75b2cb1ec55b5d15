import { readFileSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { concat, fieldString, fieldVarint, varint } from '../../onnx/encode.js';
import { decodeModel } from '../../onnx/model.js';
import { appendToGraph } from '../../onnx/patch.js';
import { int64, readFields } from '../../onnx/wire.js';
import { ENCODED_FIXTURES, fixture, fixtureDir, python, skipReason, type FixtureKind } from '../probe/fixtures.js';

describe('protobuf wire format', () => {
  it("round-trips varints including negative int64 (10-byte two's complement)", () => {
    for (const v of [0, 1, 127, 128, 300, 2 ** 40, -1, -7]) {
      const f = readFields(fieldVarint(3, v));
      expect(int64(f[0].varint)).toBe(v);
    }
    expect(varint(-1)).toHaveLength(10);
  });

  it('names the message and offset of a truncated field', () => {
    expect(() => readFields(Uint8Array.from([0x0a, 0x05, 0x61]), 'ModelProto')).toThrow(
      /Field 1 of ModelProto claims 5 bytes but only 1 remain/,
    );
  });
});

const noChecker = skipReason('onnx');
if (noChecker) console.log(`skipping the independent onnx.checker passes: ${noChecker}`);

describe('ONNX decoder and patcher on fixture models', () => {
  it('decodes nodes, attributes, initializer dims, shapes, opset and metadata', () => {
    const m = decodeModel(readFileSync(fixture('keras-m')));
    expect(m.opset).toBe(17);
    expect(m.irVersion).toBe(8);
    expect(JSON.parse(m.metadata.preprocessing)).toMatchObject({ channelOrder: 'L' });
    expect(m.inputs).toEqual([{ name: 'input', elemType: 1, shape: ['N', 1, 28, 28] }]);
    expect(m.outputs[0]).toEqual({ name: 'probabilities', elemType: 1, shape: ['N', 10] });
    const conv1 = m.nodes.find((n) => n.name === 'conv1')!;
    expect(conv1).toMatchObject({
      opType: 'Conv',
      inputs: ['input', 'conv1/kernel'],
      outputs: ['conv1'],
      attributes: { pads: [1, 1, 1, 1] },
    });
    expect(m.nodes.find((n) => n.name === 'conv1_bn')!.attributes.epsilon).toBeCloseTo(1e-3, 8);
    expect(m.initializers.get('conv1/kernel')).toEqual([32, 1, 3, 3]);
    expect(m.nodes.map((n) => n.opType)).toContain('GlobalAveragePool');
  });

  it('appends nodes and outputs that onnx.checker accepts and onnxruntime runs, keeping unknown fields', async () => {
    const original = readFileSync(fixture('tiny-stats'));
    // An unknown field (number 99) in ModelProto and in GraphProto must come through byte for byte.
    const fields = readFields(original);
    const g = fields.find((f) => f.num === 7)!;
    const unknownGraphField = fieldString(99, 'kept-in-graph');
    const withUnknown = concat([
      original.subarray(0, g.start),
      concat([varint((7 << 3) | 2), varint(g.bytes!.length + unknownGraphField.length), g.bytes!, unknownGraphField]),
      original.subarray(g.end),
      fieldString(99, 'kept-in-model'),
    ]);
    const patched = appendToGraph(withUnknown, {
      nodesAfter: new Map([
        ['r', [{ name: 'probe/max', opType: 'GlobalMaxPool', inputs: ['r'], outputs: ['probe/max'] }]],
      ]),
      outputs: [{ name: 'probe/max', elemType: 1, shape: ['N', 3, 1, 1] }],
    });
    const text = Buffer.from(patched).toString('latin1');
    expect(text).toContain('kept-in-graph');
    expect(text).toContain('kept-in-model');
    const m = decodeModel(patched);
    const idx = m.nodes.findIndex((n) => n.name === 'probe/max');
    expect(m.nodes[idx - 1].name).toBe('act_relu');
    expect(m.outputs.map((o) => o.name)).toEqual(['probabilities', 'probe/max']);
    const path = join(fixtureDir, 'patched.onnx');
    writeFileSync(path, patched);
    if (!noChecker)
      expect(
        python(`import onnx; m = onnx.load('${path}'); onnx.checker.check_model(m); print(len(m.graph.node))`).trim(),
      ).toBe(String(m.nodes.length));
    const s = await ort.InferenceSession.create(patched);
    const x = Float32Array.from({ length: 27 }, (_, i) => i - 13);
    const out = await s.run({ input: new ort.Tensor('float32', x, [1, 3, 3, 3]) });
    expect(Array.from(out['probe/max'].data as Float32Array)).toEqual([0, 4, 13]);
  });
});

describe.skipIf(noChecker !== null)("fixtures built by the project's encoder", () => {
  it('pass the independent onnx.checker (python3-onnx)', () => {
    const paths = Object.keys(ENCODED_FIXTURES).map((k) => fixture(k as FixtureKind));
    // Debian's onnx 1.12 knows opsets up to 17: newer models are reported as unchecked (onnxruntime still runs them).
    const out = python(
      [
        'import onnx',
        `for p in ${JSON.stringify(paths)}:`,
        '    m = onnx.load(p)',
        '    if m.opset_import[0].version > onnx.defs.onnx_opset_version(): print("unchecked", p); continue',
        '    onnx.checker.check_model(m, full_check=True); print("ok", p)',
      ].join('\n'),
    );
    expect(
      out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('ok ')),
    ).toHaveLength(paths.length - out.split('unchecked').length + 1);
    expect(out).toContain(`ok ${fixture('keras-m')}`);
  });
});
