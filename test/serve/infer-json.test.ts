/**
 * The packed inference-body parser against JSON.parse: same value (data aside), the same float32 bits for
 * every number form a client writes, and null (JSON.parse decides) for whatever it does not handle.
 */
import { describe, expect, it } from 'vitest';
import { parseInferJson } from '../../serve/routes/infer-json.js';

/** Seeded so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const bits = (xs: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(xs).buffer));

/** Numbers as clients print them: JS doubles, float32 values, exponents, integers, long and padded digits. */
function numberText(r: () => number): string {
  const kind = Math.floor(r() * 10);
  const sign = r() < 0.3 ? '-' : '';
  switch (kind) {
    case 0:
      return String(r());
    case 1:
      return String(Math.fround(r() * 10 - 5));
    case 2:
      return `${sign}${(r() * 1000).toExponential(Math.floor(r() * 20))}`;
    case 3:
      return `${sign}${Math.floor(r() * 1e6)}`;
    case 4:
      return `${sign}0.${'0'.repeat(Math.floor(r() * 30))}${Math.floor(r() * 1e9)}`;
    case 5:
      return `${sign}${Math.floor(r() * 1e9)}${Math.floor(r() * 1e9)}${Math.floor(r() * 1e9)}.${Math.floor(r() * 1e9)}`;
    case 6:
      return `${sign}${r().toFixed(Math.floor(r() * 25))}E${r() < 0.5 ? '+' : '-'}${Math.floor(r() * 50)}`;
    case 7:
      return `${sign}${(r() * 3.4e38).toPrecision(17)}`;
    case 8:
      return `${sign}${(r() * 1e-38).toPrecision(12)}`;
    default:
      return String(Math.fround(r()) * 2 ** Math.floor(r() * 60 - 30));
  }
}

describe('parseInferJson', () => {
  it('packs inputs[i].data to the float32 bits JSON.parse + Float32Array give, and keeps the rest equal', () => {
    const r = rng(7);
    for (let doc = 0; doc < 200; doc++) {
      const values = Array.from({ length: 50 + Math.floor(r() * 200) }, () => numberText(r));
      const data =
        doc % 3 === 0
          ? `[[${values.slice(0, 10).join(',')}], [ ${values.slice(10).join(' , ')} ] ]`
          : `[${values.join(',')}]`;
      const text = ` { "id" : "d${doc}", "inputs": [ {"name":"input","shape":[1, 2, 3.0e0, 4],"datatype":"FP32","data":${data}} ],\n "parameters": {"activations":"none", "x": [true, false, null, -0, 1e400, "é"]} } `;
      const parsed = parseInferJson(Buffer.from(text));
      expect(parsed, text.slice(0, 200)).not.toBeNull();
      const ref = JSON.parse(text) as { inputs: Array<{ data: unknown }> };
      expect(bits(parsed!.inputData[0]!)).toEqual(bits(flat(ref.inputs[0].data)));
      ref.inputs[0].data = [];
      expect(parsed!.json).toEqual(ref);
    }
  });

  it('keeps "__proto__" an own property, as JSON.parse does', () => {
    const parsed = parseInferJson(Buffer.from('{"__proto__": {"polluted": 1}, "inputs": []}'));
    expect(Object.getPrototypeOf(parsed!.json)).toBe(Object.prototype);
    expect(Object.keys(parsed!.json as object)).toEqual(['__proto__', 'inputs']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a repeated key replaces the first, packed data included', () => {
    const parsed = parseInferJson(
      Buffer.from('{"inputs": [{"data": [1, 2]}], "inputs": [{"data": [3], "data": "x"}]}'),
    );
    expect(parsed!.json).toEqual({ inputs: [{ data: 'x' }] });
    expect(parsed!.inputData).toEqual([undefined]);
  });

  it.each([
    ['malformed', '{"inputs": ['],
    ['trailing comma', '{"inputs": [{"data": [1, 2,]}]}'],
    ['leading zero', '{"inputs": [{"data": [01]}]}'],
    ['a string in data', '{"inputs": [{"data": ["a", 1]}]}'],
    ['an escape in a string', '{"inputs": [{"name": "in\\"put", "data": [1]}]}'],
    ['a top-level array', '[1, 2]'],
    ['trailing garbage', '{"inputs": []} x'],
    ['deep nesting', `{"inputs": [{"data": ${'['.repeat(100)}1${']'.repeat(100)}}]}`],
  ])('%s → null (JSON.parse decides)', (_name, text) => {
    expect(parseInferJson(Buffer.from(text))).toBeNull();
  });
});
