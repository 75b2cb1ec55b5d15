import type { OpHandler } from './context.js';
import { convOps } from './ops-conv.js';
import { mathOps } from './ops-math.js';
import { shapeOps } from './ops-shape.js';

/** TF op name → handler. Placeholder (the input) and Const (weights) are handled by the converter itself. */
const handlers = new Map<string, OpHandler>(Object.entries({ ...convOps, ...mathOps, ...shapeOps }));

export const supportedOps: readonly string[] = [...handlers.keys(), 'Const', 'Placeholder'].sort();

export function opHandler(nodeName: string, op: string): OpHandler {
  const h = handlers.get(op);
  if (!h)
    throw new Error(
      `graph node ${nodeName}: TensorFlow op ${op} has no ONNX mapping; supported ops: ${supportedOps.join(', ')}`,
    );
  return h;
}

export function hasOpHandler(op: string): boolean {
  return handlers.has(op) || op === 'Const' || op === 'Placeholder';
}
