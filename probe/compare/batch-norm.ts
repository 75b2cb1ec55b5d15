/** Whether a network normalises its activations with batch norm: the card's flag when it has one, else its ONNX graph. */
import { readFile } from 'node:fs/promises';
import type { ModelCard } from '../cards/card.js';
import { decodeModel } from '../../onnx/model.js';

export async function hasBatchNorm(modelPath: string, card?: ModelCard): Promise<boolean> {
  if (card?.batchNorm !== undefined) return card.batchNorm;
  const model = decodeModel(new Uint8Array(await readFile(modelPath)), modelPath);
  return model.nodes.some((n) => n.opType === 'BatchNormalization');
}
