import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../probe/session/create.js';
import { cudaProviderLibrary, CUDA_PROVIDER_LIBRARY, parseEp } from '../../probe/session/providers.js';
import { concat, encodeNode, encodeValueInfo, fieldBytes, fieldString, fieldVarint } from '../../onnx/encode.js';

/** A one-node Relu model written with the probe's own encoder (no Python needed). */
function reluModel(): Uint8Array {
  const shape = ['N', 4];
  const graph = concat([
    fieldBytes(1, encodeNode({ name: 'relu', opType: 'Relu', inputs: ['x'], outputs: ['y'] })),
    fieldString(2, 'g'),
    fieldBytes(11, encodeValueInfo('x', 1, shape)),
    fieldBytes(12, encodeValueInfo('y', 1, shape)),
  ]);
  return concat([
    fieldVarint(1, 8),
    fieldBytes(8, concat([fieldString(1, ''), fieldVarint(2, 17)])),
    fieldBytes(7, graph),
  ]);
}

describe('session factory', () => {
  it('reports the provider that actually ran, from a profiled first run', async () => {
    const s = await createSession(reluModel(), { ep: 'cpu', threads: 1, optimization: 'basic' });
    expect(s.report.used).toBe('unknown');
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([-1, 2, -3, 4]), [1, 4]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([0, 2, 0, 4]);
    expect(s.report).toMatchObject({
      requested: 'cpu',
      configured: ['cpu'],
      used: 'cpu',
      nodesByProvider: { CPUExecutionProvider: 1 },
    });
    await s.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4]) });
    await s.release();
  });

  it('auto falls back to CPU only with a note saying why; --ep cuda without the library fails', async () => {
    const cuda = cudaProviderLibrary();
    if (cuda.present) {
      console.log(`CUDA provider library present (${cuda.reason}); the missing-library path is not testable here.`);
      return;
    }
    const s = await createSession(reluModel(), { ep: 'auto' });
    expect(s.report.configured).toEqual(['cpu']);
    expect(s.report.notes.join(' ')).toContain(CUDA_PROVIDER_LIBRARY);
    await s.release();
    await expect(createSession(reluModel(), { ep: 'cuda' })).rejects.toThrow(
      /--ep cuda was requested but .*libonnxruntime_providers_cuda\.so is not installed.*--ep cpu/,
    );
  });

  it('looks for the CUDA library in the given folder and rejects unknown providers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actprobe-ep-'));
    expect(cudaProviderLibrary(dir).present).toBe(false);
    writeFileSync(join(dir, CUDA_PROVIDER_LIBRARY), '');
    expect(cudaProviderLibrary(dir).present).toBe(true);
    expect(() => parseEp('tpu')).toThrow('Unknown execution provider "tpu"; use one of: auto, cpu, cuda.');
  });
});
