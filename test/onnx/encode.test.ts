import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { hasExportMetadata, METADATA_KEYS, parseExportMetadata, toMetadataProps } from '../../onnx/metadata.js';
import { cardFromModel } from '../../probe/cards/resolve.js';
import { GraphBuilder } from '../../export/onnx/graph-builder.js';
import { encodeModel, encodeNode } from '../../onnx/encode.js';
import { decodeModel } from '../../onnx/model.js';
import { attr } from '../../onnx/spec.js';
import { float32, int64, readFields, text } from '../../onnx/wire.js';
import { checkWithPythonOnnx, pythonOnnxMissing } from '../export/helpers/onnx-checker.js';

describe('message encoding (protobufjs, read back with the byte-level wire reader)', () => {
  it("writes int64 attributes (negatives as 10-byte two's complement), float32 floats, strings and their types", () => {
    const node = encodeNode({
      name: 'n',
      opType: 'Op',
      inputs: ['x'],
      outputs: ['y'],
      attributes: {
        i: attr.int(-1),
        f: attr.float(1),
        s: attr.string('ab'),
        ints: attr.ints([150, -7]),
        floats: attr.floats([0.5]),
      },
    });
    const fields = readFields(node, 'NodeProto');
    expect(fields.filter((f) => f.num === 1).map((f) => text(f.bytes))).toEqual(['x']);
    const attrs = Object.fromEntries(
      fields
        .filter((f) => f.num === 5)
        .map((f) => {
          const a = readFields(f.bytes!, 'AttributeProto');
          return [text(a.find((x) => x.num === 1)!.bytes), a];
        }),
    );
    const i = attrs.i.find((x) => x.num === 3)!;
    expect(i.end - i.start).toBe(11);
    expect(int64(i.varint)).toBe(-1);
    expect(float32(attrs.f.find((x) => x.num === 2)!.bytes!)).toBe(1);
    expect(text(attrs.s.find((x) => x.num === 4)!.bytes)).toBe('ab');
    // onnx.proto does not declare repeated scalars packed: one field per value.
    expect(attrs.ints.filter((x) => x.num === 8).map((x) => int64(x.varint))).toEqual([150, -7]);
    expect(attrs.ints.find((x) => x.num === 20)!.varint).toBe(7n);
    const decoded = decodeModel(
      encodeModel({
        irVersion: 8,
        opsetVersion: 17,
        producerName: 'p',
        producerVersion: '1',
        docString: '',
        metadata: { k: 'v' },
        graph: {
          name: 'g',
          nodes: [
            {
              name: 'n',
              opType: 'Op',
              inputs: ['x'],
              outputs: ['y'],
              attributes: {
                i: attr.int(-1),
                ints: attr.ints([150, -7]),
                floats: attr.floats([0.5]),
                s: attr.string('ab'),
              },
            },
          ],
          initializers: [{ name: 'w', type: 'int64', dims: [2], data: BigInt64Array.of(1n, -2n) }],
          inputs: [{ name: 'x', type: 'float', shape: ['N', 3] }],
          outputs: [],
        },
      }),
    );
    expect(decoded.nodes[0].attributes).toEqual({ i: -1, ints: [150, -7], floats: [0.5], s: 'ab' });
    expect(decoded).toMatchObject({
      irVersion: 8,
      opset: 17,
      producer: 'p 1',
      metadata: { k: 'v' },
      inputs: [{ name: 'x', elemType: 1, shape: ['N', 3] }],
    });
    expect(decoded.initializers.get('w')).toEqual([2]);
  });
});

describe('hand-built ONNX model', () => {
  const g = new GraphBuilder(['input']);
  const shape = g.int64s('flat/shape', [0, -1]);
  const scale = g.floats('scale', [1, 2, 1, 1], Float32Array.of(2, -3));
  const relu = g.node('Relu', 'relu', [g.node('Mul', 'mul', ['input', scale])]);
  const out = g.node('Reshape', 'flat', [relu, shape]);
  g.rename(out, 'probabilities');
  const model = {
    irVersion: 8,
    opsetVersion: 17,
    producerName: 'test',
    producerVersion: '0',
    docString: '',
    graph: g.build(
      'hand',
      [{ name: 'input', type: 'float' as const, shape: ['N', 2, 1, 2] }],
      [{ name: 'probabilities', type: 'float' as const, shape: ['N', 4] }],
    ),
    metadata: toMetadataProps({
      labels: ['a', 'b', 'c', 'd'],
      inputSize: { height: 1, width: 2, channels: 2 },
      producer: 'test',
      sourceFormat: 'in-memory',
      layerOutputs: { relu: 'relu' },
    }),
  };
  const bytes = encodeModel(model);

  it('runs in onnxruntime with a dynamic batch', async () => {
    const session = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor('float32', Float32Array.of(1, -1, 1, 2, 3, -3, 1, 1), [2, 2, 1, 2]);
    const y = await session.run({ input: x });
    expect([...(y.probabilities.data as Float32Array)]).toEqual([2, 0, 0, 0, 6, 0, 0, 0]);
    expect(y.probabilities.dims).toEqual([2, 4]);
  });

  it('passes the python3-onnx checker', (ctx) => {
    const missing = pythonOnnxMissing();
    if (missing) {
      console.log(`skipping the python3-onnx checker: ${missing}`);
      ctx.skip();
      return;
    }
    expect(checkWithPythonOnnx({ hand: bytes })[0]).toMatch(/^ok .* 8 17 /);
  });

  it('round-trips metadata_props and names a malformed key', () => {
    expect(parseExportMetadata(model.metadata).labels).toEqual(['a', 'b', 'c', 'd']);
    expect(() => parseExportMetadata({ ...model.metadata, input_size: '{"height":1}' })).toThrow(
      /metadata_props\.input_size\.width/,
    );
    expect(() => parseExportMetadata({ ...model.metadata, labels: 'cat,dog' })).toThrow(
      /metadata_props\.labels is not JSON/,
    );
  });

  it('refuses a second value with the same name', () => {
    const b = new GraphBuilder(['input']);
    b.node('Relu', 'conv1', ['input']);
    expect(() => b.node('Relu', 'conv1', ['input'])).toThrow(/"conv1" \(Relu node\) is already used/);
    expect(() => b.floats('w', [2], Float32Array.of(1))).toThrow(/dims \[2\] hold 2 values, got 1/);
  });
});

describe('one list of metadata keys', () => {
  it("what the exporter writes is what the probe's card and the server read", () => {
    const metadata = toMetadataProps({
      labels: ['cat', 'dog'],
      inputSize: { height: 2, width: 2, channels: 3 },
      producer: 'test',
      sourceFormat: 'in-memory',
      layerOutputs: {},
      preprocessing: { scale: 1 / 255, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3], channelOrder: 'BGR' },
    });
    expect(Object.keys(metadata).sort()).toEqual(
      Object.values(METADATA_KEYS)
        .filter((k) => k in metadata)
        .sort(),
    );
    const bytes = encodeModel({
      irVersion: 8,
      opsetVersion: 17,
      producerName: 'test',
      producerVersion: '0',
      docString: '',
      metadata,
      graph: {
        name: 'g',
        initializers: [],
        nodes: [{ name: 'flat', opType: 'Flatten', inputs: ['input'], outputs: ['probabilities'], attributes: {} }],
        inputs: [{ name: 'input', type: 'float', shape: ['N', 3, 2, 2] }],
        outputs: [{ name: 'probabilities', type: 'float', shape: ['N', 2] }],
      },
    });
    const read = decodeModel(bytes);
    expect(hasExportMetadata(read.metadata)).toBe(true);
    const card = cardFromModel(read, 'm.onnx');
    expect(card.labels).toEqual(['cat', 'dog']);
    // The card states preprocessing on [0, 1] pixels: the metadata's 8-bit scale 1/255 becomes 1.
    expect(card.input).toMatchObject({ channelOrder: 'BGR', mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] });
    expect(card.input.scale).toBeCloseTo(1, 12);
  });
});
