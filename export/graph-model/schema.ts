import { z } from 'zod';

/**
 * A tfjs graph model's topology (`model.json` with `"format": "graph-model"`, as tensorflowjs_converter writes it):
 * TensorFlow GraphDef nodes in JSON. Attributes stay loosely typed here and are read through the accessors below,
 * which name the node and attribute when a value is missing or malformed.
 */
const nodeSchema = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).default([]),
  attr: z.record(z.string(), z.unknown()).default({}),
});
export type GraphNode = z.infer<typeof nodeSchema>;

export const graphTopologySchema = z.object({ node: z.array(nodeSchema).min(1) });

export function parseGraphTopology(raw: unknown, where: string): GraphNode[] {
  const parsed = graphTopologySchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(
      `${where}: not a TensorFlow graph-model topology (at modelTopology.${i?.path.join('.')}: ${i?.message}); expected modelTopology.node[] with name and op`,
    );
  }
  return parsed.data.node;
}

const listSchema = z.object({
  list: z.object({ i: z.array(z.union([z.string(), z.number()])).optional(), s: z.array(z.string()).optional() }),
});

function fail(node: GraphNode, name: string, expected: string): never {
  throw new Error(
    `graph node ${node.name} (${node.op}): attribute ${name} ${node.attr[name] === undefined ? 'is missing' : 'is malformed'}; expected ${expected}`,
  );
}

function base64(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

export function attrInts(node: GraphNode, name: string, fallback?: number[]): number[] {
  const raw = node.attr[name];
  if (raw === undefined && fallback) return fallback;
  const parsed = listSchema.safeParse(raw);
  if (!parsed.success) fail(node, name, 'a list of integers');
  return (parsed.data.list.i ?? []).map((v) => Number(v));
}

export function attrStrings(node: GraphNode, name: string): string[] {
  const raw = node.attr[name];
  if (raw === undefined) return [];
  const parsed = listSchema.safeParse(raw);
  if (!parsed.success) fail(node, name, 'a list of strings');
  return (parsed.data.list.s ?? []).map(base64);
}

export function attrString(node: GraphNode, name: string, fallback?: string): string {
  const raw = node.attr[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const parsed = z.object({ s: z.string() }).safeParse(raw);
  if (!parsed.success) fail(node, name, 'a base64 string');
  return base64(parsed.data.s);
}

export function attrFloat(node: GraphNode, name: string, fallback: number): number {
  const raw = node.attr[name];
  if (raw === undefined) return fallback;
  // Protobuf JSON omits zero values, so `{}` is 0.
  const parsed = z.object({ f: z.union([z.number(), z.string()]).optional() }).safeParse(raw);
  if (!parsed.success) fail(node, name, 'a float');
  return Number(parsed.data.f ?? 0);
}

export function attrBool(node: GraphNode, name: string, fallback: boolean): boolean {
  const raw = node.attr[name];
  if (raw === undefined) return fallback;
  const parsed = z.object({ b: z.boolean().optional() }).safeParse(raw);
  if (!parsed.success) fail(node, name, 'a boolean');
  return parsed.data.b ?? false;
}
