import { readFile, writeFile } from 'node:fs/promises';

/**
 * What a figure ran on, so two bench runs can be compared field by field. Kept out of bench.json (which stays
 * `{ "<figure>": number }`, DESIGN.md) in bench-meta.json: `{ "<figure>": FigureMeta }`, same keys.
 */
export interface FigureMeta {
  /** The model measured (preset, file, or "none" for a figure without one). */
  model: string;
  batch?: number;
  /** Threads each side was asked for (onnxruntime intra-op, PyTorch set_num_threads, tfjs-wasm threads). */
  threads?: number;
  /** onnxruntime execution provider that ran, or the training/inference backend. */
  ep?: string;
  /** Anything else a comparison needs (image size, images per pass, runs, concurrency…). */
  [key: string]: string | number | undefined;
}

async function mergeJson<T>(path: string, entries: Record<string, T>): Promise<void> {
  let previous: Record<string, T> = {};
  try {
    previous = JSON.parse(await readFile(path, 'utf8')) as Record<string, T>;
  } catch {
    previous = {};
  }
  await writeFile(path, `${JSON.stringify({ ...previous, ...entries }, null, 2)}\n`);
}

/** bench.json: `{ "<figure>": number }` in the working folder; a run replaces the figures it measured. */
export const writeBenchJson = (figures: Record<string, number>, path = 'bench.json'): Promise<void> =>
  mergeJson(path, figures);

/** bench-meta.json: what each figure of bench.json ran on, replaced figure by figure like bench.json. */
export const writeBenchMeta = (meta: Record<string, FigureMeta>, path = 'bench-meta.json'): Promise<void> =>
  mergeJson(path, meta);

export function printTable(rows: Array<[string, number, string]>): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, value, note] of rows) {
    const shown = Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
    console.log(`${name.padEnd(width)}  ${shown.padStart(10)}  ${note}`);
  }
}

/** Collects figures, their notes and their metadata in one place for run.ts and the sections. */
export class Figures {
  readonly values: Record<string, number> = {};
  readonly meta: Record<string, FigureMeta> = {};
  readonly rows: Array<[string, number, string]> = [];

  add(name: string, value: number, note: string, meta: FigureMeta): void {
    this.values[name] = value;
    this.meta[name] = meta;
    this.rows.push([name, value, note]);
  }

  /** A row printed without a figure (e.g. a peer that is not installed). */
  note(name: string, note: string): void {
    this.rows.push([name, Number.NaN, note]);
  }
}
