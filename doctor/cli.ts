/**
 * `npm run doctor`: what this machine has for actprobe, and what each missing piece would add. Reads only;
 * never builds, downloads or installs anything. Exit code 0 whatever it finds.
 */
import { formatChecks, runChecks } from './checks.js';
import { realProbes } from './probes.js';

console.log('actprobe doctor: what this machine has (ok), lacks (--) or leaves off by choice (off)\n');
console.log(formatChecks(await runChecks(realProbes())));
