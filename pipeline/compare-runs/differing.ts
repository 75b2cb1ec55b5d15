/**
 * The columns of the comparison table: the config values that differ between the runs. A sweep knows its
 * axes; for any other set of run folders they are found by comparing the configs field by field.
 */
import { aliasOfPath } from '../sweep/aliases.js';
import { valueLabel } from '../sweep/spec.js';

export interface Column {
  /** Header: the alias (`lr`) or the dotted path. */
  name: string;
  /** Per run, in run order: the value's label, or "—" when the run has no config. */
  values: string[];
}

/** Leaves of a JSON value as dotted path → value (arrays by index). */
export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)
  ) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
  return out;
}

export function differingColumns(configs: unknown[]): Column[] {
  const flat = configs.map((c) => (c === null || c === undefined ? null : flatten(c)));
  const paths = [...new Set(flat.flatMap((f) => (f ? [...f.keys()] : [])))];
  const columns: Column[] = [];
  for (const path of paths) {
    const texts = flat.map((f) => (f === null ? '—' : f.has(path) ? valueLabel(f.get(path)) : 'unset'));
    if (new Set(texts).size > 1) columns.push({ name: aliasOfPath(path) ?? path, values: texts });
  }
  return columns;
}
