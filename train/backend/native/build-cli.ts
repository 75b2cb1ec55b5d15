/**
 * `npm run build:native` builds the native kernels now rather than on the first training run, and exits 1
 * when they cannot be built or loaded here. With --postinstall (npm ci's postinstall) a machine without
 * a compiler or Node headers, ACTPROBE_NATIVE=0, or a CPU they do not support is not an install failure:
 * it prints why and that training will use the wasm kernels. A compiler that fails, or an addon that
 * does not load, still fails the install, with ACTPROBE_NATIVE=0 as the way to install without them.
 */
import { loadNativeKernels } from './load.js';

const postinstall = process.argv.includes('--postinstall');
const native = loadNativeKernels();
if (native.ok) {
  console.log(`actprobe: native kernels ready (${native.description}) at ${native.path}`);
} else {
  const tolerated =
    native.kind === 'off' || native.kind === 'unsupported' || (postinstall && native.kind === 'toolchain');
  const line = `actprobe: native kernels not built, training will use the wasm kernels: ${native.reason}`;
  if (tolerated) {
    console.log(line);
  } else {
    console.error(line);
    if (postinstall) console.error('actprobe: set ACTPROBE_NATIVE=0 to install without the native kernels.');
    process.exitCode = 1;
  }
}
