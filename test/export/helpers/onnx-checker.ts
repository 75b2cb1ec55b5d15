import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
const SCRIPT = `
import sys, onnx
for path in sys.argv[1:]:
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    print("ok", path, m.ir_version, m.opset_import[0].version, onnx.__version__)
`;

/** Why the independent checker cannot run here, or null when Debian's python3-onnx is importable. */
export function pythonOnnxMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not runnable (${r.error.message}); apt-get install python3-onnx`;
  if (r.status !== 0)
    return `python3-onnx missing (${r.stderr.trim().split('\n').pop()}); apt-get install python3-onnx`;
  return null;
}

/** onnx.checker.check_model(m, full_check=True) on each model; throws with the checker's message. */
export function checkWithPythonOnnx(models: Record<string, Uint8Array>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'actprobe-onnx-check-'));
  try {
    const paths = Object.entries(models).map(([name, bytes]) => {
      const p = join(dir, `${name}.onnx`);
      writeFileSync(p, bytes);
      return p;
    });
    const r = spawnSync(PYTHON, ['-c', SCRIPT, ...paths], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`onnx.checker failed:\n${r.stderr || r.error?.message}`);
    return r.stdout.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
