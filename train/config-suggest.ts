import { z } from 'zod';

/**
 * "Did you mean …" for config files: the fields a schema knows at a path, the closest of them to a misspelt
 * one, and config errors worded with both. One module, so the train, pipeline and sweep configs (and any
 * tool that validates a config path such as "model.widht") suggest the same way.
 */

/** Edit distance (insertions, deletions, substitutions; a swap of neighbours counts as one edit). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The known name closest to `word`, when it is at most `maxDistance` edits away (case ignored, so
 * "stemkernel" finds "stemKernel"); null when nothing is that close or two names tie.
 */
export function closestName(word: string, known: readonly string[], maxDistance = 2): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  let tie = false;
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance, tie] = [name, distance, false];
    else if (distance === bestDistance) tie = true;
  }
  // Short words are a few edits from everything: allow at most a third of the word's length.
  const limit = Math.min(maxDistance, Math.max(1, Math.floor(word.length / 3)));
  return best !== null && bestDistance <= limit && !tie ? best : null;
}

/** Strips the wrappers that do not change which fields an object has (defaults, optional, nullable, pipes). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault ||
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable
    )
      s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/** The object schemas `schema` may be at `value`: a discriminated union picks its option by the value's tag. */
function objectsOf(schema: z.ZodType, value: unknown): z.ZodObject[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return [s];
  if (s instanceof z.ZodUnion) {
    const options = (s.options as z.ZodType[]).flatMap((o) => objectsOf(o, value));
    if (s instanceof z.ZodDiscriminatedUnion && typeof value === 'object' && value !== null) {
      const tag = (value as Record<string, unknown>)[s.def.discriminator];
      const chosen = options.filter((o) => {
        const literal = unwrap(o.shape[s.def.discriminator] as z.ZodType);
        return literal instanceof z.ZodLiteral && literal.values.has(tag as never);
      });
      if (chosen.length > 0) return chosen;
    }
    return options;
  }
  return [];
}

/** The schema of the value at `path` (object keys and array indices), following `raw` through unions. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[], raw: unknown): z.ZodType | null {
  let s: z.ZodType = schema;
  let value = raw;
  for (const key of path) {
    const inner = unwrap(s);
    const next: z.ZodType | undefined =
      inner instanceof z.ZodArray
        ? (inner.element as z.ZodType)
        : inner instanceof z.ZodTuple
          ? (inner.def.items[Number(key)] as z.ZodType | undefined)
          : inner instanceof z.ZodRecord
            ? (inner.valueType as z.ZodType)
            : objectsOf(inner, value)
                .map((o) => o.shape[String(key)] as z.ZodType | undefined)
                .find((f) => f !== undefined);
    if (next === undefined) return null;
    s = next;
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return s;
}

/**
 * Field names an object at `path` may hold ("model" → preset, width, …), or null when `path` does not name an
 * object. `raw` (the config as written) picks the option of a discriminated union, e.g. the preset's fields.
 */
export function knownFields(schema: z.ZodType, path: readonly PropertyKey[], raw?: unknown): string[] | null {
  const at = schemaAt(schema, path, raw);
  if (at === null) return null;
  const value = path.reduce<unknown>(
    (v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    raw,
  );
  const objects = objectsOf(at, value);
  return objects.length === 0 ? null : [...new Set(objects.flatMap((o) => Object.keys(o.shape)))];
}

/** " — did you mean "alexnet"?" for a misspelt choice (a preset, an optimizer kind, an enum value). */
function valueHint(issue: z.core.$ZodIssue, raw: unknown): string {
  const choices =
    issue.code === 'invalid_value'
      ? issue.values
      : issue.code === 'invalid_union' && 'options' in issue
        ? (issue.options as unknown[])
        : [];
  const given = issue.path.reduce<unknown>(
    (v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    raw,
  );
  if (typeof given !== 'string') return '';
  const guess = closestName(
    given,
    choices.filter((c): c is string => typeof c === 'string'),
  );
  return guess !== null ? ` (got "${given}"; did you mean "${guess}"?)` : '';
}

/** One line per issue, with its field path; an unknown field or a misspelt choice names the one it is closest to. */
export function describeIssues(schema: z.ZodType, error: z.ZodError, raw: unknown): string[] {
  return error.issues.flatMap((issue) => {
    const where = issue.path.map(String).join('.');
    if (issue.code !== 'unrecognized_keys') return [`${where || '(root)'}: ${issue.message}${valueHint(issue, raw)}`];
    const known = knownFields(schema, issue.path, raw) ?? [];
    return issue.keys.map((key) => {
      const field = where ? `${where}.${key}` : key;
      const guess = closestName(key, known);
      const hint =
        guess !== null
          ? `did you mean "${guess}"?`
          : known.length > 0
            ? `known fields here: ${known.join(', ')}`
            : 'remove it';
      return `${field}: unknown field; ${hint}`;
    });
  });
}

/** Parses `raw` with `schema`; on failure throws one error listing every issue (with suggestions) under `source`. */
export function parseConfigWith<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new Error(`${source} is invalid:\n  ${describeIssues(schema, result.error, raw).join('\n  ')}`);
}
