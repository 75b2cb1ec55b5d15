/** Reading and setting a dotted path (`schedule.0.lr`) in a parsed config object, with errors that name the path. */
import { closestName } from '../../train/config-suggest.js';

export type Json = unknown;

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

export function getAt(
  root: Json,
  segments: readonly string[],
): { found: true; value: Json } | { found: false; at: number } {
  let cur: Json = root;
  for (let i = 0; i < segments.length; i++) {
    if (!isContainer(cur) || !Object.hasOwn(cur, segments[i])) return { found: false, at: i };
    cur = (cur as Record<string, unknown>)[segments[i]];
  }
  return { found: true, value: cur };
}

/**
 * A copy of `root` with `value` at `segments`. Every container on the way must exist (a sweep varies fields
 * of the config, it does not invent structure); the last key may be new (an optional field left out).
 */
export function setAt(root: Json, segments: readonly string[], value: Json, describe: string): Json {
  const copy: Json = structuredClone(root);
  let cur: Json = copy;
  for (let i = 0; i < segments.length - 1; i++) {
    const next = isContainer(cur) ? (cur as Record<string, unknown>)[segments[i]] : undefined;
    if (!isContainer(next)) {
      const where = segments.slice(0, i + 1).join('.');
      if (next === null)
        throw new Error(
          `${describe}: ${where} is null in this variant, so ${segments.slice(i + 1).join('.')} cannot be set inside it`,
        );
      throw new Error(`${describe}: unknown config path ${segments.join('.')}: ${unknownKey(cur, segments, i)}`);
    }
    cur = next;
  }
  if (Array.isArray(cur) && !/^\d+$/.test(segments[segments.length - 1]))
    throw new Error(
      `${describe}: ${segments.slice(0, -1).join('.')} is a list; index it with a number (e.g. ${segments.slice(0, -1).join('.')}.0)`,
    );
  if (Array.isArray(cur) && Number(segments[segments.length - 1]) >= cur.length)
    throw new Error(
      `${describe}: ${segments.slice(0, -1).join('.')} has ${cur.length} entries; index ${segments[segments.length - 1]} does not exist`,
    );
  (cur as Record<string, unknown>)[segments[segments.length - 1]] = value;
  return copy;
}

/** Why `segments[i]` is not a field of `parent`, with the closest known field. */
export function unknownKey(parent: Json, segments: readonly string[], i: number): string {
  const where = i === 0 ? 'the config' : segments.slice(0, i).join('.');
  if (!isContainer(parent)) return `${where} is ${JSON.stringify(parent)}, not an object`;
  if (Array.isArray(parent)) return `${where} has ${parent.length} entries; index ${segments[i]} does not exist`;
  const known = Object.keys(parent);
  const guess = closestName(segments[i], known);
  return `${where} has no field "${segments[i]}"${guess ? ` (did you mean "${guess}"?)` : ''}; its fields: ${known.join(', ')}`;
}

/** True when every field given in `want` has the same value in `got` (objects may gain defaulted fields). */
export function includes(got: Json, want: Json): boolean {
  if (isContainer(want)) {
    if (!isContainer(got) || Array.isArray(want) !== Array.isArray(got)) return false;
    return Object.entries(want).every(([k, v]) => includes((got as Record<string, unknown>)[k], v));
  }
  return Object.is(got, want) || got === want;
}
