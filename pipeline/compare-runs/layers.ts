/** Which layers the comparison plots: the user's choice, else up to four convs/FCs spread from input to output. */
import type { RunSummary } from './load-run.js';

const PLOTTED_ROLES = new Set(['conv', 'fc']);

export function chooseLayers(runs: RunSummary[], wanted?: string[], count = 4): string[] {
  const all = new Set(runs.flatMap((r) => [...r.layers.keys()]));
  if (wanted && wanted.length > 0) {
    const unknown = wanted.filter((w) => !all.has(w));
    if (unknown.length > 0 && all.size > 0)
      throw new Error(
        `--layers: ${unknown.join(', ')} not probed in any of these runs; probed layers: ${[...all].join(', ')}`,
      );
    return wanted;
  }
  // The run with the most probed layers sets the depth order (an SE-off variant has fewer).
  const richest = runs.reduce<RunSummary | null>(
    (best, r) => (!best || r.layers.size > best.layers.size ? r : best),
    null,
  );
  if (!richest) return [];
  const candidates = [...richest.layers.keys()].filter((n) => PLOTTED_ROLES.has(richest.roles.get(n) ?? ''));
  if (candidates.length <= count) return candidates;
  const picks = Array.from(
    { length: count },
    (_, i) => candidates[Math.round((i * (candidates.length - 1)) / (count - 1))],
  );
  return [...new Set(picks)];
}
