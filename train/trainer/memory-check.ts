import type * as tf from '@tensorflow/tfjs';
import { totalmem } from 'node:os';

/**
 * Refuses a batch size that cannot fit before the first step, by name, instead of "memory access out of
 * bounds" deep in a kernel 21 s in (batchSize 100000 did that). The estimate is deliberately rough: every
 * layer's output kept for the backward pass plus a gradient of the same size and one scratch copy (3×), in
 * float32, against what the backend can address. Checked on the default seednet (28×28, wasm): the estimate
 * allows batches up to 3177; one step of 3000 and of 4200 ran, 6000 aborted inside the wasm heap. So it
 * refuses what crashes and errs on the safe side by up to ~1.5×.
 */
const WASM_HEAP_BYTES = 4 * 1024 ** 3; // tfjs-backend-wasm's WebAssembly.Memory maximum (4294967296 bytes)

export function activationFloatsPerImage(model: tf.LayersModel): number {
  let floats = 0;
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as Array<
      Array<number | null>
    >;
    for (const shape of shapes) floats += shape.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1);
  }
  return floats;
}

/** Bytes the backend can give a training step: the wasm heap's cap or this machine's memory. */
export function memoryBudget(backend: string): { bytes: number; what: string } {
  const machine = totalmem();
  if (backend === 'wasm' && WASM_HEAP_BYTES < machine)
    return { bytes: WASM_HEAP_BYTES, what: 'the wasm backend addresses at most 4 GiB' };
  return { bytes: machine, what: `this machine has ${(machine / 1024 ** 3).toFixed(1)} GiB` };
}

export function checkBatchFits(model: tf.LayersModel, batchSizes: number[], backend: string): void {
  const perImage = activationFloatsPerImage(model) * 4 * 3;
  const params = model.countParams() * 4 * 4; // weights, gradients, two Adam slots
  const budget = memoryBudget(backend);
  const largest = Math.max(...batchSizes);
  const need = params + largest * perImage;
  if (need <= budget.bytes) return;
  const fits = Math.max(0, Math.floor((budget.bytes - params) / perImage));
  throw new Error(
    `batchSize ${largest} does not fit: one training step of ${model.name} needs about ${(need / 1024 ** 3).toFixed(1)} GiB ` +
      `(${(perImage / 1024 ** 2).toFixed(2)} MiB of activations and gradients per image) and ${budget.what}; use a batchSize of at most ${fits} in "schedule"`,
  );
}
