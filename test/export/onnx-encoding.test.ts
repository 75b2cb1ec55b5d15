import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { parseExportMetadata, toMetadataProps } from '../../export/metadata.js';
import { GraphBuilder } from '../../export/onnx/graph-builder.js';
import { encodeModel } from '../../export/onnx/model.js';
import { ProtoWriter } from '../../export/onnx/proto-writer.js';
import { checkWithPythonOnnx, pythonOnnxMissing } from './helpers/onnx-checker.js';

describe('protobuf writer', () => {
  it('writes varints, negative int64 as 10-byte two\'s complement, fixed32 floats and framed strings', () => {
    expect([...new ProtoWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new ProtoWriter().int(3, -1).finish()]).toEqual([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect([...new ProtoWriter().float(2, 1).finish()]).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect([...new ProtoWriter().string(1, 'ab').finish()]).toEqual([0x0a, 0x02, 0x61, 0x62]);
    expect([...new ProtoWriter().message(7, (w) => w.int(1, 1)).finish()]).toEqual([0x3a, 0x02, 0x08, 0x01]);
    expect(() => new ProtoWriter().int(1, 1.5)).toThrow(/not an integer/);
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
    graph: g.build('hand', [{ name: 'input', type: 'float' as const, shape: ['N', 2, 1, 2] }], [{ name: 'probabilities', type: 'float' as const, shape: ['N', 4] }]),
    metadata: toMetadataProps({ labels: ['a', 'b', 'c', 'd'], inputSize: { height: 1, width: 2, channels: 2 }, producer: 'test', sourceFormat: 'in-memory', layerOutputs: { relu: 'relu' } }),
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
    expect(() => parseExportMetadata({ ...model.metadata, input_size: '{"height":1}' })).toThrow(/metadata_props\.input_size\.width/);
    expect(() => parseExportMetadata({ ...model.metadata, labels: 'cat,dog' })).toThrow(/metadata_props\.labels is not JSON/);
  });

  it('refuses a second value with the same name', () => {
    const b = new GraphBuilder(['input']);
    b.node('Relu', 'conv1', ['input']);
    expect(() => b.node('Relu', 'conv1', ['input'])).toThrow(/"conv1" \(Relu node\) is already used/);
    expect(() => b.floats('w', [2], Float32Array.of(1))).toThrow(/dims \[2\] hold 2 values, got 1/);
  });
});
