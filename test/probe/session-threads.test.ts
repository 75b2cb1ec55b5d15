/** The intra-op thread count every onnxruntime session asks for (probe/session/threads.ts). */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { intraOpThreads } from '../../probe/session/threads.js';

describe('intra-op threads', () => {
  it('keeps a positive whole count it is given', () => {
    expect(intraOpThreads(3)).toBe(3);
    expect(intraOpThreads(1)).toBe(1);
  });

  it('asks for one thread per logical CPU when none (or 0, or nonsense) is given, never onnxruntime’s 0', () => {
    for (const v of [undefined, 0, -2, 1.5, Number.NaN]) expect(intraOpThreads(v)).toBe(availableParallelism());
    expect(intraOpThreads()).toBeGreaterThan(0);
  });
});
