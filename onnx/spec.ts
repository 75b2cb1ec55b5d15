/**
 * ONNX models as plain data, the way actprobe writes them: the exporter builds a whole `ModelSpec` (so a
 * verification copy can add outputs before encoding), the probe builds `NewNode`s and `NewTensor`s to append
 * to an existing model. encode.ts turns both into protobuf; model.ts is the reading side.
 */
import { DataType } from './schema.js';

export type ElemType = 'float' | 'int64';
export const ELEM_CODE: Record<ElemType, number> = { float: DataType.FLOAT, int64: DataType.INT64 };

/** An initializer with its values as a typed array (exported weights). */
export interface TensorSpec {
  name: string;
  type: ElemType;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A small initializer with its values as a plain array (constants the probe appends). */
export interface NewTensor {
  name: string;
  dims: number[];
  dataType: (typeof DataType)[keyof typeof DataType];
  values: number[];
}

export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string };

export const attr = {
  int: (value: number): OnnxAttribute => ({ kind: 'int', value }),
  ints: (value: number[]): OnnxAttribute => ({ kind: 'ints', value }),
  float: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  floats: (value: number[]): OnnxAttribute => ({ kind: 'floats', value }),
  string: (value: string): OnnxAttribute => ({ kind: 'string', value }),
};

export interface NewNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

export interface NodeSpec extends NewNode {
  attributes: Record<string, OnnxAttribute>;
}

/** A dimension is a fixed size or a symbolic name (dim_param), e.g. 'N' for the dynamic batch. */
export interface ValueInfoSpec {
  name: string;
  type: ElemType;
  shape: Array<number | string>;
}

export interface GraphSpec {
  name: string;
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
}

export interface ModelSpec {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: GraphSpec;
  metadata: Record<string, string>;
}
