/** `RUN/activations.jsonl`: one probe result per line, per mini-epoch (the std-collapse rule reads the history). */
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../run-folder/fs-atomic.js';
import { dirname } from 'node:path';
import { parseProbeResult, type ProbeResult } from '../schema.js';

/**
 * Adds one line by rewriting the file through a temp name and a rename, not by appending: an append killed
 * half way left a torn last line that made every later read of the log (diagnosis, report, resume) fail. The
 * log holds one line per mini-epoch, so the rewrite stays small.
 */
export async function appendActivations(path: string, result: ProbeResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Validated on the way out; zod drops fields outside the schema (e.g. the run notes).
  const line = `${JSON.stringify(parseProbeResult(JSON.parse(JSON.stringify(result)), 'probe result'))}\n`;
  const before = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  await writeFileAtomic(path, before + line);
}

export async function readActivations(path: string): Promise<ProbeResult[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read activations log ${path}: ${(err as Error).message}`);
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => parseProbeResult(JSON.parse(l), `${path} line ${i + 1}`))
    .sort((a, b) => (a.miniEpoch ?? 0) - (b.miniEpoch ?? 0));
}
