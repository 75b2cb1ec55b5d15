/**
 * Intra-op thread count for onnxruntime CPU sessions. onnxruntime-node's own default (0) ran a single
 * intra-op thread on the 2-vCPU machines this project is measured on: a batch-64 model-M run took 5.2 ms
 * instead of 2.6 ms with `intraOpNumThreads: 2` (docs/DESIGN.md, Measurements). So unless a count is asked for, ask for one
 * thread per logical CPU this process may use.
 */
import { availableParallelism } from 'node:os';

export function intraOpThreads(requested?: number): number {
  return requested !== undefined && Number.isInteger(requested) && requested > 0 ? requested : availableParallelism();
}
