/**
 * Per-channel statistics of one layer output for /v2 … activations and /classify: the implementation the
 * browser page runs too (serve/page/channel-stats.js), so server and page give the same numbers by construction.
 * The definition (min, max, mean, population std, zeroFraction with |x| < 1e-30 as zero) is the probe's,
 * written down in probe/README.md "Statistics contract"; test/serve/stats-contract.test.ts checks all four paths.
 */
export { channelStats, layerStats, ZERO_GAIN } from '../page/channel-stats.js';
