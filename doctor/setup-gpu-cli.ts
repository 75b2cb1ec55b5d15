/** `npm run setup:gpu [-- --dry-run] [-- --force]`: see setup-gpu.ts. */
import { realProbes } from './probes.js';
import { setupGpu } from './setup-gpu.js';

process.exitCode = await setupGpu(realProbes(), process.argv.slice(2));
