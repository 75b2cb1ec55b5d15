import { readFile } from 'node:fs/promises';
import { parseTrainConfig } from './config.js';
import type { TrainConfig } from './config.js';

/** Reads and validates a JSON config; a missing file or bad JSON names the file. */
export async function readTrainConfig(path: string | undefined): Promise<TrainConfig> {
  if (!path) return parseTrainConfig({}, 'default config');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read config ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`config ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseTrainConfig(raw, `config ${path}`);
}
