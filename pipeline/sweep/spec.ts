/**
 * What a sweep is: a base config and axes (config path → values). Read from `--vary PATH=V1,V2` flags or
 * from a sweep file `{ "base": "FILE.json" | {…}, "axes": { "lr": [1e-3, 2e-4], "augment": ["off", "on"] },
 * "design": "grid" | "one-at-a-time" }`. Shape only here; whether the paths and values fit the config
 * schema is validate.ts's job.
 */
import { z } from 'zod';
import { ALIASES, aliasOfPath } from './aliases.js';

export interface AxisValue {
  /** How the value reads in folder names and tables (`2e-4`, `off`). */
  label: string;
  value: unknown;
}

export interface Axis {
  /** What the user wrote: an alias (`lr`) or a dotted path (`model.se.ratio`). */
  name: string;
  path: string;
  values: AxisValue[];
}

/** grid: every combination. one-at-a-time: the baseline (each axis's first value) and each other value alone. */
export type Design = 'grid' | 'one-at-a-time';

export interface SweepSpec {
  base: unknown;
  /** Where the base came from (a file path, or "inline"), for messages and sweep.json. */
  baseSource: string;
  axes: Axis[];
  design: Design;
}

/** Shortest faithful text of a number: `2e-4` rather than `0.0002`, `64` rather than `6.4e1`. */
export function numberLabel(n: number): string {
  const plain = String(n);
  const exp = n.toExponential().replace('e+', 'e');
  return exp.length < plain.length ? exp : plain;
}

export function valueLabel(v: unknown): string {
  if (typeof v === 'number') return numberLabel(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function resolveAxisName(name: string): { name: string; path: string } {
  const alias = ALIASES[name];
  return alias ? { name, path: alias.path } : { name: aliasOfPath(name) ?? name, path: name };
}

/** A value as the user wrote it: a named value of the alias, else JSON, else a plain string. */
function parseToken(axis: string, token: string): AxisValue {
  const named = ALIASES[axis]?.values;
  if (named && token in named) return { label: token, value: named[token] };
  try {
    return { label: token, value: JSON.parse(token) };
  } catch {
    if (named)
      throw new Error(
        `--vary ${axis}: unknown value "${token}"; its named values are ${Object.keys(named).join(', ')} (or give JSON)`,
      );
    return { label: token, value: token };
  }
}

/** Splits `a,b,{"x":1,"y":2}` on the commas outside brackets and quotes. */
export function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '{' || ch === '[')) depth++;
    else if (!quoted && (ch === '}' || ch === ']')) depth--;
    if (ch === ',' && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** `--vary PATH=V1,V2,…` → an axis. Empty value lists and empty values are refused here. */
export function parseVary(flag: string): Axis {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new Error(`--vary ${flag}: expected PATH=V1,V2,… (e.g. --vary lr=1e-3,2e-4)`);
  const { name, path } = resolveAxisName(flag.slice(0, eq).trim());
  const tokens = flag.slice(eq + 1).trim() === '' ? [] : splitValues(flag.slice(eq + 1));
  if (tokens.length === 0)
    throw new Error(`--vary ${name}: empty value list; give at least one value (--vary ${name}=V1,V2)`);
  const empty = tokens.indexOf('');
  if (empty >= 0) throw new Error(`--vary ${name}: value ${empty + 1} of "${flag.slice(eq + 1)}" is empty`);
  return { name, path, values: tokens.map((t) => parseToken(name, t)) };
}

const sweepFileSchema = z.strictObject({
  base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  axes: z.record(z.string(), z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
  design: z.enum(['grid', 'one-at-a-time']).default('grid'),
  description: z.string().optional(),
});
export type SweepFile = z.output<typeof sweepFileSchema>;

export function parseSweepFile(raw: unknown, source: string): SweepFile {
  const r = sweepFileSchema.safeParse(raw);
  if (!r.success)
    throw new Error(
      `sweep file ${source} is invalid:\n  ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n  ')}`,
    );
  return r.data;
}

/** A sweep file's axes: arrays of values (strings may be an alias's named values) or objects label → value. */
export function axesOfFile(file: SweepFile): Axis[] {
  return Object.entries(file.axes).map(([written, values]) => {
    const { name, path } = resolveAxisName(written);
    const list: AxisValue[] = Array.isArray(values)
      ? values.map((v) => (typeof v === 'string' ? parseTokenLiteral(name, v) : { label: valueLabel(v), value: v }))
      : Object.entries(values).map(([label, value]) => ({ label, value }));
    if (list.length === 0) throw new Error(`sweep axis ${written}: empty value list; give at least one value`);
    return { name, path, values: list };
  });
}

/** In a file, a string is a named value when the alias has it, else the string itself (not JSON). */
function parseTokenLiteral(axis: string, s: string): AxisValue {
  const named = ALIASES[axis]?.values;
  return named && s in named ? { label: s, value: named[s] } : { label: s, value: s };
}
