import { readFile, writeFile } from 'node:fs/promises';

/** bench.json: `{ "<figure>": number }` in the working folder; a run replaces the figures it measured. */
export async function writeBenchJson(figures: Record<string, number>, path = 'bench.json'): Promise<void> {
  let previous: Record<string, number> = {};
  try {
    previous = JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
  } catch {
    previous = {};
  }
  await writeFile(path, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
}

export function printTable(rows: Array<[string, number, string]>): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, value, note] of rows) {
    const shown = Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
    console.log(`${name.padEnd(width)}  ${shown.padStart(10)}  ${note}`);
  }
}
