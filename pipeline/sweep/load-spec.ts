/** The sweep spec from the command line: `--config` (a base config, or a sweep file with "axes") plus `--vary` flags. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { axesOfFile, parseSweepFile, parseVary, type Design, type SweepSpec } from './spec.js';
import type { SweepState } from './state.js';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} ${path} is not JSON: ${(e as Error).message}`);
  }
}

const isSweepFile = (raw: unknown): boolean => typeof raw === 'object' && raw !== null && 'axes' in raw;

export async function specFromArgs(config: string, vary: string[], design: Design | undefined): Promise<SweepSpec> {
  const raw = await readJson(config, 'config');
  const extra = vary.map(parseVary);
  if (!isSweepFile(raw)) return { base: raw, baseSource: config, axes: extra, design: design ?? 'grid' };
  const file = parseSweepFile(raw, config);
  // A base given by file name is found beside the sweep file.
  const baseSource = typeof file.base === 'string' ? resolve(dirname(config), file.base) : `${config} (inline base)`;
  const base = typeof file.base === 'string' ? await readJson(baseSource, 'base config') : file.base;
  return {
    base,
    baseSource: typeof file.base === 'string' ? file.base : baseSource,
    axes: [...axesOfFile(file), ...extra],
    design: design ?? file.design,
  };
}

/** `--resume` without `--config`: the sweep as sweep.json recorded it. */
export const specFromState = (s: SweepState): SweepSpec => ({
  base: s.base.config,
  baseSource: s.base.source,
  axes: s.axes,
  design: s.design,
});
