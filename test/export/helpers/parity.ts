import type * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { exportLayersModel } from '../../../export/convert.js';
import type { ExportResult } from '../../../export/convert.js';
import { checkParity } from '../../../export/parity.js';
import type { ParityReport } from '../../../export/parity.js';
import { randomInputs } from '../../../export/parity/inputs.js';
import type { ParityInput } from '../../../export/parity/inputs.js';
import { layersReference } from '../../../export/parity/reference.js';

/** Exports `model` and proves it against tfjs on random (+ given) inputs; the failure lists the layers at fault. */
export async function exportWithParity(
  model: tf.LayersModel,
  extra: ParityInput[] = [],
  images = 3,
): Promise<{ result: ExportResult; report: ParityReport }> {
  const result = exportLayersModel(model);
  const inputs = [randomInputs(result.metadata.inputSize, images, 3), ...extra];
  const report = await checkParity(result, layersReference(model, result.layers), inputs, { threads: 1 });
  const failed = report.layers
    .filter((l) => !l.passed)
    .map((l) => `${l.layer} (${l.className} → ${l.onnxValue}): ${l.relToScale} of scale ${l.scale} [${l.worstInput}]`);
  expect(failed, `layers beyond tolerance ${report.tolerance}`).toEqual([]);
  expect(report.passed).toBe(true);
  return { result, report };
}

export const opTypes = (r: ExportResult): string[] => r.model.graph.nodes.map((n) => n.opType);
