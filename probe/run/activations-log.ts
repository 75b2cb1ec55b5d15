/** `RUN/activations.jsonl`: one probe result per line, per mini-epoch (the std-collapse rule reads the history). */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseProbeResult, type ProbeResult } from '../schema.js';

export async function appendActivations(path: string, result: ProbeResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Validated on the way out; zod drops fields outside the schema (e.g. the run notes).
  await appendFile(path, `${JSON.stringify(parseProbeResult(JSON.parse(JSON.stringify(result)), 'probe result'))}\n`);
}

export async function readActivations(path: string): Promise<ProbeResult[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read activations log ${path}: ${(err as Error).message}`);
  }
  return text.split('\n').filter((l) => l.trim()).map((l, i) => parseProbeResult(JSON.parse(l), `${path} line ${i + 1}`))
    .sort((a, b) => (a.miniEpoch ?? 0) - (b.miniEpoch ?? 0));
}
