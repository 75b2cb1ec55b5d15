/**
 * A JSON parser for Open Inference Protocol request bodies that reads each `inputs[i].data` array (flat or
 * nested numbers) straight into a Float32Array instead of building a JS array of doubles. It is an
 * accelerator only: for every body it accepts, `json` equals `JSON.parse` of it except that each packed
 * `inputs[i].data` holds `[]` and its values are in `inputData[i]`, rounded to float32 exactly as
 * `Float32Array.from(JSON.parse(...))` rounds them. Anything it does not handle (escapes in strings, bad
 * syntax, deep nesting, a non-number in data, …) makes it return null, and the caller uses JSON.parse, so
 * error messages and edge cases stay JSON.parse's.
 */
export interface ParsedInferJson {
  json: unknown;
  /** inputs[i].data as float32, for each input whose data was an array of numbers. */
  inputData: Array<Float32Array | undefined>;
}

const BAIL = Symbol('bail');
const MAX_DEPTH = 64;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Relative half-width of the interval checked to round to one float32 (far above the approximation error). */
const F32_MARGIN = 2 ** -34;

enum Mode {
  Generic,
  Top,
  Inputs,
  Input,
  Data,
}

class Parser {
  i = 0;
  inputData: Array<Float32Array | undefined> = [];
  private inputIndex = -1;

  constructor(private readonly b: Buffer) {}

  ws(): void {
    const b = this.b;
    let c = b[this.i];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++this.i];
  }

  value(mode: Mode, depth: number): unknown {
    if (depth > MAX_DEPTH) throw BAIL;
    this.ws();
    const c = this.b[this.i];
    if (c === 0x7b) return this.object(mode, depth);
    if (c === 0x5b) {
      if (mode === Mode.Data) return this.packed(depth);
      return this.array(mode, depth);
    }
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    throw BAIL;
  }

  private literal(word: string, v: boolean | null): boolean | null {
    for (let k = 0; k < word.length; k++) if (this.b[this.i + k] !== word.charCodeAt(k)) throw BAIL;
    this.i += word.length;
    return v;
  }

  private object(mode: Mode, depth: number): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.b[this.i] === 0x7d) {
      this.i++;
      return o;
    }
    for (;;) {
      this.ws();
      if (this.b[this.i] !== 0x22) throw BAIL;
      const key = this.string();
      this.ws();
      if (this.b[this.i++] !== 0x3a) throw BAIL;
      const child =
        mode === Mode.Top && key === 'inputs'
          ? Mode.Inputs
          : mode === Mode.Input && key === 'data'
            ? Mode.Data
            : Mode.Generic;
      if (child === Mode.Data) this.inputData[this.inputIndex] = undefined; // a repeated "data" key replaces the first
      const v = this.value(child, depth + 1);
      // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype.
      if (key === '__proto__')
        Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
      else o[key] = v;
      this.ws();
      const c = this.b[this.i++];
      if (c === 0x7d) return o;
      if (c !== 0x2c) throw BAIL;
    }
  }

  private array(mode: Mode, depth: number): unknown[] {
    const a: unknown[] = [];
    if (mode === Mode.Inputs) {
      this.inputData = []; // a repeated "inputs" key replaces the first, as in JSON.parse
      this.inputIndex = -1;
    }
    this.i++;
    this.ws();
    if (this.b[this.i] === 0x5d) {
      this.i++;
      return a;
    }
    for (;;) {
      if (mode === Mode.Inputs) this.inputIndex = a.length;
      a.push(this.value(mode === Mode.Inputs ? Mode.Input : Mode.Generic, depth + 1));
      this.ws();
      const c = this.b[this.i++];
      if (c === 0x5d) return a;
      if (c !== 0x2c) throw BAIL;
    }
  }

  /** `inputs[i].data`: numbers, flat or nested, into one Float32Array; the JSON value becomes `[]`. */
  private packed(depth: number): unknown[] {
    let out = new Float32Array(1024);
    let n = 0;
    const b = this.b;
    let i = this.i;
    let level = 0;
    let c: number;
    for (;;) {
      c = b[i];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
      if (c === 0x5b) {
        if (++level + depth > MAX_DEPTH) throw BAIL;
        c = b[++i];
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
        if (c !== 0x5d) continue;
        i++; // an empty array: a value of its level, or the whole data when it was the outer one
        if (--level === 0) break;
      } else {
        if (n === out.length) {
          const grown = new Float32Array(out.length * 2);
          grown.set(out);
          out = grown;
        }
        out[n++] = scanNumber(b, i, true);
        i = scanEnd;
      }
      // After a value: `,` continues this level, `]` closes it (possibly several).
      for (;;) {
        c = b[i++];
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[i++];
        if (c === 0x2c) break;
        if (c !== 0x5d) throw BAIL;
        if (--level === 0) break;
      }
      if (level === 0) break;
    }
    this.i = i;
    this.inputData[this.inputIndex] = n === out.length ? out : out.slice(0, n);
    return [];
  }

  private string(): string {
    const b = this.b;
    const start = ++this.i;
    let ascii = true;
    for (;;) {
      const c = b[this.i];
      if (c === 0x22) break;
      if (c === 0x5c || c < 0x20 || c === undefined) throw BAIL; // escapes and control characters: JSON.parse
      if (c >= 0x80) ascii = false;
      this.i++;
    }
    const s = b.toString(ascii ? 'latin1' : 'utf8', start, this.i);
    this.i++;
    return s;
  }

  private number(): number {
    const v = scanNumber(this.b, this.i, false);
    this.i = scanEnd;
    return v;
  }
}

/** Where the last scanNumber stopped (a module variable, so no result object per number). */
let scanEnd = 0;

/**
 * A JSON number. Up to 15 significant digits are kept exactly (below 2^53); times an exact power of ten
 * that is one correctly rounded operation, i.e. JSON.parse's double. `f32` accepts a truncated
 * approximation when every value within ±2^-34 of it rounds to the same float32 (so the true double
 * does too); everything else is left to Number() on the text, which is exact.
 */
function scanNumber(b: Buffer, start: number, f32: boolean): number {
  let i = start;
  const neg = b[i] === 0x2d;
  if (neg) i++;
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let truncated = false;
  let c = b[i];
  if (c === 0x30) c = b[++i];
  else if (c >= 0x31 && c <= 0x39) {
    do {
      if (sig < 15) {
        mant = mant * 10 + (c - 0x30);
        sig++;
      } else {
        exp++;
        if (c !== 0x30) truncated = true;
      }
      c = b[++i];
    } while (c >= 0x30 && c <= 0x39);
  } else throw BAIL;
  if (c === 0x2e) {
    c = b[++i];
    if (!(c >= 0x30 && c <= 0x39)) throw BAIL;
    do {
      if (sig < 15) {
        if (mant !== 0 || c !== 0x30) {
          mant = mant * 10 + (c - 0x30);
          sig++;
        }
        exp--;
      } else if (c !== 0x30) truncated = true;
      c = b[++i];
    } while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) {
    c = b[++i];
    let eneg = false;
    if (c === 0x2b || c === 0x2d) {
      eneg = c === 0x2d;
      c = b[++i];
    }
    if (!(c >= 0x30 && c <= 0x39)) throw BAIL;
    let e = 0;
    do {
      if (e < 1e6) e = e * 10 + (c - 0x30);
      c = b[++i];
    } while (c >= 0x30 && c <= 0x39);
    exp += eneg ? -e : e;
  }
  scanEnd = i;
  if (mant === 0) return neg ? -0 : 0;
  if (exp >= -22 && exp <= 22 && (!truncated || f32)) {
    const abs = exp >= 0 ? mant * POW10[exp] : mant / POW10[-exp];
    const v = neg ? -abs : abs;
    if (!truncated) return v;
    if (Math.fround(v * (1 - F32_MARGIN)) === Math.fround(v * (1 + F32_MARGIN))) return v;
  }
  return Number(b.toString('latin1', start, i));
}

/** The body parsed with its input tensors packed, or null when JSON.parse must decide (see the file comment). */
export function parseInferJson(bytes: Buffer): ParsedInferJson | null {
  const p = new Parser(bytes);
  try {
    p.ws();
    if (bytes[p.i] !== 0x7b) return null;
    const json = p.value(Mode.Top, 0);
    p.ws();
    if (p.i !== bytes.length) return null;
    return { json, inputData: p.inputData };
  } catch (err) {
    if (err === BAIL || err instanceof RangeError) return null;
    throw err;
  }
}
