/**
 * Human names for tapped nodes. Keras-style names (`conv3`, `se2_excite`) are kept as they are; our own
 * exporter's sub-nodes (`conv1/relu`) fold into their layer (`conv1`); torch paths and generic names become
 * `<kind><k>` by the node's rank among nodes of its kind (`/features/features.3/Conv` → `conv2`), or the
 * module path when it names something (`/se/excite/Gemm` → `se_excite`).
 */
import type { OnnxNode } from '../../onnx/model.js';
import { KIND_OF_OP } from './ops.js';

export type NameStyle = 'keras' | 'keras-subnode' | 'torch-path' | 'generic';

// `Conv_3`, `Relu_12` (older torch), `node_17`, `/Conv_1`-less auto names: nothing a human chose.
const GENERIC = /^(node_?\d*|[A-Z][A-Za-z0-9]*_\d+|\d+)$/;

export function nameStyle(name: string): NameStyle {
  if (!name || GENERIC.test(name)) return 'generic';
  if (name.startsWith('/')) return 'torch-path';
  if (name.includes('/')) return 'keras-subnode';
  return 'keras';
}

/** `conv<k>`, `fc<k>`, … for every node, k counted over the graph's nodes of the same kind (stable under any tap choice). */
export function counterNames(nodes: OnnxNode[]): string[] {
  const counts = new Map<string, number>();
  return nodes.map((n) => {
    const kind = KIND_OF_OP[n.opType] ?? n.opType.toLowerCase();
    const k = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, k);
    return `${kind}${k}`;
  });
}

/** Module path of a torch node name, parent prefixes stripped: `/layer1/layer1.0/conv1/Conv` → [layer1, 0, conv1]. */
function torchModulePath(name: string): string[] {
  const segs = name.split('/').filter(Boolean).slice(0, -1);
  return segs.map((s, i) => (i > 0 && s.startsWith(`${segs[i - 1]}.`) ? s.slice(segs[i - 1].length + 1) : s));
}

/** The name a node stands for on its own (the block name when it heads a tapped chain). */
export function baseName(node: OnnxNode, counterName: string): string {
  switch (nameStyle(node.name)) {
    case 'keras':
      return node.name;
    case 'keras-subnode':
      return node.name.slice(0, node.name.indexOf('/'));
    case 'torch-path': {
      const path = torchModulePath(node.name);
      const last = path[path.length - 1];
      if (!last || /^\d+$/.test(last)) return counterName;
      return path.join('_').replace(/\./g, '_');
    }
    case 'generic':
      return counterName;
  }
}

/**
 * Name of a tap at node `tapped` whose chain starts at `head` (same node when nothing was absorbed).
 * A Keras-named tap keeps its own name (`conv1_relu` stays); anything else takes its head's name.
 */
export function tapName(tapped: OnnxNode, tappedCounter: string, head: OnnxNode, headCounter: string): string {
  const style = nameStyle(tapped.name);
  if (style === 'keras') return tapped.name;
  // A sub-node tapped on its own (`classifier/softmax` after a tapped `classifier`) keeps its suffix.
  if (tapped === head && style === 'keras-subnode') return tapped.name.replace(/\//g, '_');
  if (tapped === head) return baseName(tapped, tappedCounter);
  return baseName(head, headCounter);
}

/** Appends `_2`, `_3`, … to repeated names so every layer entry is addressable. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}
