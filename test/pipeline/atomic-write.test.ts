/**
 * Files another stage reads (model.onnx, checkpoints/<k>/model.onnx, the Triton copy, the JSON files) are
 * written to a temp name and renamed: a SIGKILL in the middle of the write leaves the old file, never a
 * truncated one. The same kill against a plain write is shown to truncate, so the test can tell them apart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const helper = resolve('run-folder/fs-atomic.ts');
const tsx = resolve('node_modules/.bin/tsx');
const OLD = 'old complete content\n';
const BYTES = 192 << 20;

/** Starts a child that overwrites `target` with 192 MiB, SIGKILLs it once the new bytes reach the disk. */
async function killMidWrite(mode: 'plain' | 'atomic'): Promise<{ dir: string; target: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  const target = join(dir, 'model.onnx');
  writeFileSync(target, OLD);
  const script = join(dir, 'writer.mts');
  writeFileSync(
    script,
    `
    import { writeFile } from 'node:fs/promises';
    import { writeFileAtomic } from ${JSON.stringify(helper)};
    const data = new Uint8Array(${BYTES}).fill(7);
    process.stdout.write('go\\n');
    await (${JSON.stringify(mode)} === 'plain' ? writeFile : writeFileAtomic)(${JSON.stringify(target)}, data);
    process.stdout.write('done\\n');
  `,
  );
  const child = spawn(tsx, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((ok) => child.once('exit', (_code, signal) => ok(signal)));
  const deadline = Date.now() + 30_000;
  // Kill as soon as any file in the folder holds some but not all of the new bytes.
  while (Date.now() < deadline) {
    const growing = readdirSync(dir).some((f) => {
      const size = statSync(join(dir, f)).size;
      return f !== 'writer.mts' && size > OLD.length && size < BYTES;
    });
    if (growing) break;
    await new Promise((r) => setTimeout(r, 1));
  }
  child.kill('SIGKILL');
  // A child that crashed or finished on its own proves nothing about a kill mid-write.
  expect(await exited).toBe('SIGKILL');
  return { dir, target };
}

describe('writeFileAtomic', () => {
  it('a plain write killed half way leaves a truncated file (the defect)', async () => {
    const { target } = await killMidWrite('plain');
    const size = statSync(target).size;
    expect(size).toBeGreaterThan(OLD.length);
    expect(size).toBeLessThan(BYTES);
  }, 60_000);

  it('an atomic write killed half way leaves the old file whole', async () => {
    const { dir, target } = await killMidWrite('atomic');
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    // Only the temp file is left behind, under a dot-name no stage reads.
    expect(
      readdirSync(dir)
        .filter((f) => !['writer.mts', 'model.onnx'].includes(f))
        .every((f) => f.startsWith('.model.onnx.')),
    ).toBe(true);
  }, 60_000);

  it('no stage writes or appends to a file another stage reads with a plain write', () => {
    const files = [
      'export/triton.ts',
      'export/cli.ts',
      'export/parity.ts',
      'pipeline/stages/final-export.ts',
      'pipeline/stages/probe-checkpoint.ts',
      'pipeline/stages/reference.ts',
      'pipeline/stages/diagnose.ts',
      'pipeline/report/write-report.ts',
      'probe/run/probe-command.ts',
      'probe/run/activations-log.ts',
    ];
    const plain = files.filter((f) => /\b(writeFile|appendFile)\(/.test(readFileSync(f, 'utf8')));
    expect(plain).toEqual([]);
  });
});
