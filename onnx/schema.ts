/**
 * The part of onnx.proto (proto2) that actprobe reads and writes, as a protobufjs reflection schema: field names
 * and numbers are onnx.proto's (camelCase, as protobufjs names them). protobufjs encodes and decodes every message;
 * fields left out here are skipped when reading and never written. Where a model must keep fields this schema does
 * not know (a foreign model being tapped), patch.ts splices new bytes around the original ones instead.
 *
 * Why a library rather than the two hand-written writers this replaced: on a 244 MB AlexNet-sized model
 * (8 initializers, 61 M floats; protobufjs 7.6.6, 2 vCPUs, medians of 3, side by side in one process) protobufjs
 * encoded the whole model in ≈ 124 ms against ≈ 357 ms for the hand-written writer, decoded it in < 1 ms (bytes
 * fields stay views into the file), and re-encoding a decoded model gave the input byte for byte.
 */
import protobuf from 'protobufjs/light.js';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const packedFalse = { packed: false };

const descriptor = {
  nested: {
    onnx: {
      options: { syntax: 'proto2' },
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: repeated('OperatorSetIdProto', 8),
            metadataProps: repeated('StringStringEntryProto', 14),
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: { type: 'string', id: 2 },
            initializer: repeated('TensorProto', 5),
            docString: { type: 'string', id: 10 },
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            valueInfo: repeated('ValueInfoProto', 13),
          },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: repeated('AttributeProto', 5),
            docString: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            // proto2 repeated scalars are unpacked unless declared packed; onnx.proto does not declare them packed.
            floats: { ...repeated('float', 7), options: packedFalse },
            ints: { ...repeated('int64', 8), options: packedFalse },
            strings: repeated('bytes', 9),
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { ...repeated('int64', 1), options: packedFalse },
            dataType: { type: 'int32', id: 2 },
            floatData: { ...repeated('float', 4), options: { packed: true } },
            int64Data: { ...repeated('int64', 7), options: { packed: true } },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        TypeProto: { fields: { tensorType: { type: 'TypeProtoTensor', id: 1 } } },
        TypeProtoTensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: repeated('Dimension', 1) } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
const type = (name: string): protobuf.Type => root.lookupType(`onnx.${name}`);

export const proto = {
  ModelProto: type('ModelProto'),
  GraphProto: type('GraphProto'),
  NodeProto: type('NodeProto'),
  TensorProto: type('TensorProto'),
  ValueInfoProto: type('ValueInfoProto'),
};

/** TensorProto.DataType and AttributeProto.AttributeType codes used here. */
export const DataType = { FLOAT: 1, INT64: 7, BOOL: 9 } as const;
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  SPARSE_TENSOR: 11,
  GRAPHS: 10,
} as const;

/** int64 fields decode as numbers or Long objects (protobufjs uses `long` when it is installed). */
export function toInt(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function') return Number(v.toNumber());
  return Number(v);
}
