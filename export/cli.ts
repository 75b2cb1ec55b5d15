/**
 * `npm run export -- CHECKPOINT_DIR -o model.onnx [--verify] [--triton DIR]`: tfjs checkpoint → ONNX,
 * optionally proven layer by layer against tfjs (parity.json; exit 1 beyond tolerance).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../run-folder/fs-atomic.js';
import { dirname, join, resolve } from 'node:path';
import type { BackendChoice } from './backend.js';
import type { ParityInput } from './parity/inputs.js';

/** Same value as parity.ts' DEFAULT_TOLERANCE, repeated so --help does not load tfjs and onnxruntime. */
const DEFAULT_TOLERANCE = 1e-4;

const positive =
  (flag: string, integer = false) =>
  (v: string): number => {
    const n = Number(v);
    if (!(n > 0) || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(`${flag} takes a positive ${integer ? 'integer' : 'number'}, got "${v}"`);
    return n;
  };

interface CliOptions {
  output: string;
  verify: boolean;
  images?: string;
  random: number;
  tolerance: number;
  parity?: string;
  backend: BackendChoice;
  triton?: string;
  tritonName?: string;
}

const program = new Command('export')
  .description(
    'Convert a tfjs checkpoint (layers-model or graph-model folder, or a run folder → its last checkpoint) to ONNX: opset 17, input "input" NCHW [N, C, H, W], output "probabilities".',
  )
  .argument('<checkpoint>', 'checkpoint folder with model.json + weights (e.g. RUN/checkpoints/12), or a run folder')
  .requiredOption('-o, --output <file>', 'where to write the .onnx model')
  .option(
    '--verify',
    'run tfjs and onnxruntime side by side, compare every layer, write parity.json; exit 1 beyond tolerance',
    false,
  )
  .option('--images <dir>', 'real PNG/JPEG images (or class sub-folders) to verify with, besides random inputs')
  .option('--random <n>', 'random images to verify with', positive('--random', true), 4)
  .option(
    '--tolerance <x>',
    "max |diff| allowed, relative to each layer's max |activation|",
    positive('--tolerance'),
    DEFAULT_TOLERANCE,
  )
  .option('--parity <file>', 'where to write parity.json (default: next to the output)')
  .addOption(
    new Option('--backend <name>', 'tfjs backend for the verification reference')
      .choices(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
      .default('auto'),
  )
  .option('--triton <dir>', 'also write a Triton model repository: DIR/<name>/config.pbtxt + DIR/<name>/1/model.onnx')
  .option('--triton-name <name>', "model name in the Triton repository (default: the model's name)")
  .action(async (checkpoint: string, o: CliOptions) => {
    const [
      { useBackend },
      { exportCheckpoint },
      { checkParity, writeParityReport },
      { imageInputs, randomInputs },
      { writeTritonRepository },
    ] = await Promise.all([
      import('./backend.js'),
      import('./load.js'),
      import('./parity.js'),
      import('./parity/inputs.js'),
      import('./triton.js'),
    ]);
    const backend = await useBackend(o.backend);
    const started = performance.now();
    const exported = await exportCheckpoint(checkpoint);
    const onnx = exported.result.encode();
    const output = resolve(o.output);
    await mkdir(dirname(output), { recursive: true });
    await writeFileAtomic(output, onnx);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `wrote ${output} (${(onnx.length / 1e6).toFixed(2)} MB, ${exported.result.model.graph.nodes.length} nodes) from ${exported.checkpointDir} in ${seconds.toFixed(2)} s`,
    );
    if (o.triton) {
      const dir = await writeTritonRepository(resolve(o.triton), exported.result, onnx, {
        name: o.tritonName ?? exported.result.model.graph.name,
      });
      console.log(`wrote Triton model repository entry ${dir}`);
    }
    if (!o.verify) return;
    const size = exported.result.metadata.inputSize;
    const pre = exported.result.metadata.preprocessing;
    const inputs: ParityInput[] = [randomInputs(size, o.random, 1, pre)];
    if (o.images) inputs.push(await imageInputs(resolve(o.images), size, pre));
    const report = await checkParity(exported.result, exported.reference(), inputs, { tolerance: o.tolerance });
    const parityPath = resolve(o.parity ?? join(dirname(output), 'parity.json'));
    await writeParityReport(parityPath, report);
    const worst = report.worst
      ? `${report.worst.layer} at ${report.worst.relToScale.toExponential(2)} of its scale`
      : 'no layers';
    console.log(
      `parity (tfjs ${backend} vs onnxruntime cpu, ${report.layers.length} layers, ${inputs.map((i) => `${i.shape[0]} ${i.name}`).join(' + ')}): ${report.passed ? 'PASS' : 'FAIL'}; worst ${worst}; tolerance ${report.tolerance}; wrote ${parityPath}`,
    );
    if (!report.passed) {
      for (const l of report.layers.filter((x) => !x.passed))
        console.error(
          `  ${l.layer} (${l.className} → ${l.onnxValue}): max |diff| ${l.maxAbsDiff} = ${l.relToScale.toExponential(2)} of scale ${l.scale}`,
        );
      process.exitCode = 1;
    }
  });

program.parseAsync().catch((err: unknown) => {
  console.error(`export: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
