/**
 * Turns a sweep spec into its variants, refusing before anything runs: an unknown config path (with the
 * closest field), a value of the wrong type (the schema's message), an empty value list, an axis given twice,
 * two variants that would share a folder.
 */
import { parsePipelineConfig, pipelineConfigSchema, type PipelineConfig } from '../config.js';
import { getAt, includes, setAt, unknownKey } from './config-path.js';
import type { Axis, AxisValue, SweepSpec } from './spec.js';

export interface Setting {
  axis: string;
  path: string;
  label: string;
  value: unknown;
}

export interface Variant {
  /** Folder name under the sweep folder: `lr=2e-4,augment=off`. */
  name: string;
  settings: Setting[];
  config: PipelineConfig;
}

/** Characters a folder name keeps; others become `_` (a value like `a/b` must not make a subfolder). */
const folderSafe = (s: string): string => s.replace(/[^A-Za-z0-9._+=,-]/g, '_');

function apply(base: PipelineConfig, settings: Setting[], describe: string): PipelineConfig {
  let raw: unknown = base;
  for (const s of settings) {
    const segments = s.path.split('.');
    // Another axis switched the enclosing object off (se=off sets model.se to null): a setting inside it
    // that only restates the base value is moot and skipped; one that changes something is refused by setAt.
    if (
      insideNull(raw, segments) &&
      includes(getAt(base, segments).found ? (getAt(base, segments) as { value: unknown }).value : undefined, s.value)
    )
      continue;
    const parent = getAt(raw, segments.slice(0, -1));
    if (
      parent.found &&
      typeof parent.value === 'object' &&
      parent.value !== null &&
      !Array.isArray(parent.value) &&
      !(segments[segments.length - 1] in parent.value) &&
      !optionalField(raw, segments, s.value)
    ) {
      throw new Error(
        `${describe}: unknown config path ${s.path}: ${unknownKey(parent.value, segments, segments.length - 1)}`,
      );
    }
    raw = setAt(raw, segments, s.value, describe);
  }
  const r = pipelineConfigSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${describe}: the config it makes is invalid:\n  ${issues.join('\n  ')}`);
  }
  for (const s of settings) {
    if (insideNull(r.data, s.path.split('.'))) continue;
    const got = getAt(r.data, s.path.split('.'));
    // A non-strict object drops an unknown key without complaint: reading it back catches that.
    if (!got.found && s.value !== undefined)
      throw new Error(`${describe}: unknown config path ${s.path}: the config schema dropped it`);
    // Compared with what was written at the path after every setting (a later axis may set a field inside it).
    const written = getAt(raw, s.path.split('.'));
    const want = written.found ? written.value : s.value;
    if (got.found && !includes(got.value, want))
      throw new Error(
        `${describe}: ${s.path} = ${JSON.stringify(want)} became ${JSON.stringify(got.value)} in the parsed config`,
      );
  }
  return r.data;
}

function insideNull(raw: unknown, segments: string[]): boolean {
  for (let i = 1; i < segments.length; i++) {
    const at = getAt(raw, segments.slice(0, i));
    if (at.found && at.value === null) return true;
  }
  return false;
}

/** A key absent from the parsed base is accepted only if the schema keeps it (an optional field left out). */
function optionalField(raw: unknown, segments: string[], value: unknown): boolean {
  const r = pipelineConfigSchema.safeParse(setAt(raw, segments, value, 'probe'));
  return r.success && getAt(r.data, segments).found;
}

function combinations(axes: Axis[], design: SweepSpec['design']): Setting[][] {
  const settingOf = (a: Axis, v: AxisValue): Setting => ({
    axis: a.name,
    path: a.path,
    label: v.label,
    value: v.value,
  });
  if (design === 'one-at-a-time') {
    const baseline = axes.map((a) => settingOf(a, a.values[0]));
    const out: Setting[][] = [baseline];
    axes.forEach((a, i) =>
      a.values.slice(1).forEach((v) => out.push(baseline.map((s, j) => (j === i ? settingOf(a, v) : s)))),
    );
    return out;
  }
  return axes.reduce<Setting[][]>(
    (acc, a) => acc.flatMap((combo) => a.values.map((v) => [...combo, settingOf(a, v)])),
    [[]],
  );
}

/** Folder name: every axis for a grid; for one-at-a-time, only the axis that differs from the baseline. */
function nameOf(settings: Setting[], baseline: Setting[] | null): string {
  if (baseline) {
    const differ = settings.filter((s, i) => s.label !== baseline[i].label);
    if (differ.length === 0) return 'baseline';
    return folderSafe(differ.map((s) => `${s.axis}=${s.label}`).join(','));
  }
  return folderSafe(settings.map((s) => `${s.axis}=${s.label}`).join(','));
}

export function expandSweep(spec: SweepSpec): Variant[] {
  if (spec.axes.length === 0)
    throw new Error('a sweep needs at least one axis (--vary PATH=V1,V2 or "axes" in the sweep file)');
  const base = parsePipelineConfig(spec.base, `base config ${spec.baseSource}`);
  const seen = new Map<string, string>();
  for (const a of spec.axes) {
    const before = seen.get(a.path);
    if (before !== undefined)
      throw new Error(
        `axis ${a.name} is given twice${before !== a.name ? ` (as ${before} and ${a.name}, both ${a.path})` : ''}; merge its values into one axis`,
      );
    seen.set(a.path, a.name);
    if (a.values.length === 0) throw new Error(`axis ${a.name}: empty value list; give at least one value`);
    const labels = a.values.map((v) => v.label);
    const dup = labels.find((l, i) => labels.indexOf(l) !== i);
    if (dup !== undefined) throw new Error(`axis ${a.name}: value ${dup} is listed twice`);
    // Each value on its own against the base first, so the error names one axis and one value.
    for (const v of a.values)
      apply(base, [{ axis: a.name, path: a.path, label: v.label, value: v.value }], `${a.name}=${v.label}`);
  }
  const combos = combinations(spec.axes, spec.design);
  const baseline = spec.design === 'one-at-a-time' ? combos[0] : null;
  const variants = combos.map((settings) => {
    const name = nameOf(settings, baseline);
    return { name, settings, config: apply(base, settings, `variant ${name}`) };
  });
  const names = variants.map((v) => v.name);
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash !== undefined)
    throw new Error(`two variants would share the folder ${clash}; give the values distinct labels`);
  return variants;
}
