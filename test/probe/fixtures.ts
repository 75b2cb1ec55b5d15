/**
 * Fixture ONNX models made at test time: the hand-checkable and Keras-named ones by the project's own encoder
 * (onnx-fixtures.ts, always available), the torch-exported ones by test/probe/fixtures/make_models.py with
 * Debian's python3-torch / python3-onnx. Missing Python packages skip only the torch-dependent tests, with a
 * printed reason (CI installs them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kerasM, tinyStats } from './onnx-fixtures.js';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'actprobe-probe-fixtures-'));
const made = new Map<string, string>();

function hasModule(mod: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${mod}`], { stdio: 'ignore' }).status === 0;
}

export const hasOnnx = hasModule('onnx');
export const hasTorch = hasOnnx && hasModule('torch');

export function skipReason(needs: 'onnx' | 'torch'): string | null {
  if (needs === 'onnx' && !hasOnnx) return `${PYTHON} cannot import onnx (apt-get install python3-onnx)`;
  if (needs === 'torch' && !hasTorch)
    return `${PYTHON} cannot import torch and onnx (apt-get install python3-torch python3-onnx)`;
  return null;
}

export type FixtureKind = 'tiny-stats' | 'tiny-stats-11' | 'tiny-stats-18' | 'keras-m' | 'torch-alexnet' | 'torch-m';

/** The fixtures the project's own encoder builds. */
export const ENCODED_FIXTURES: Partial<Record<FixtureKind, () => Uint8Array>> = {
  'tiny-stats': () => tinyStats(13),
  'tiny-stats-11': () => tinyStats(11),
  'tiny-stats-18': () => tinyStats(18),
  'keras-m': kerasM,
};

/** Path of the fixture model, made once per test process. */
export function fixture(kind: FixtureKind): string {
  const cached = made.get(kind);
  if (cached) return cached;
  const out = join(dir, `${kind}.onnx`);
  const encode = ENCODED_FIXTURES[kind];
  if (encode) {
    writeFileSync(out, encode());
    made.set(kind, out);
    return out;
  }
  const r = spawnSync(PYTHON, ['test/probe/fixtures/make_models.py', kind, out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make_models.py ${kind} failed:\n${r.stderr}`);
  made.set(kind, out);
  return out;
}

export const fixtureDir = dir;

/** Runs a Python snippet, returning stdout (tests use it to check files with onnx's own checker). */
export function python(code: string): string {
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return r.stdout;
}
