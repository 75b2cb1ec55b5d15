/**
 * `npm run build:native` (and npm's postinstall): builds the native kernels now rather than on the first
 * training run. Never fails the install: without a compiler the wasm kernels run, and training says so.
 */
import { loadNativeKernels } from './load.js';

const native = loadNativeKernels();
if (native.ok) console.log(`actprobe: native kernels ready (${native.description}) at ${native.path}`);
else console.log(`actprobe: native kernels not available, training will use the wasm kernels: ${native.reason}`);
