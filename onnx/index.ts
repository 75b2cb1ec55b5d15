// ONNX files as actprobe reads, writes and extends them: one module for export, probe and serve.
export { decodeModel } from './model.js';
export type { AttributeValue, Dim, OnnxModel, OnnxNode, OnnxValueInfo } from './model.js';
export { encodeModel, encodeNode, encodeTensor, encodeValueInfo } from './encode.js';
export { appendToGraph } from './patch.js';
export type { GraphAdditions } from './patch.js';
export { attr } from './spec.js';
export type {
  ElemType,
  GraphSpec,
  ModelSpec,
  NewNode,
  NewTensor,
  NodeSpec,
  OnnxAttribute,
  TensorSpec,
  ValueInfoSpec,
} from './spec.js';
export { DataType } from './schema.js';
export {
  METADATA_KEYS,
  PRODUCER_NAME,
  PRODUCER_VERSION,
  exportMetadataSchema,
  hasExportMetadata,
  parseExportMetadata,
  toMetadataProps,
} from './metadata.js';
export type { ExportMetadata, Preprocessing } from './metadata.js';
