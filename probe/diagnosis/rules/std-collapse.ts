import type { Rule } from '../rule.js';

/** A layer's activation std more than 10× below its own peak over the probed mini-epochs. */
export const STD_COLLAPSE = { factor: 10 } as const;

export const stdCollapse: Rule = {
  id: 'std-collapse',
  describes: `a layer's activation std fell > ${STD_COLLAPSE.factor}× below its peak across mini-epochs (reports the shallowest such layer)`,
  check({ probes }) {
    if (!probes || probes.length < 2) return { skipped: 'fewer than 2 probed mini-epochs' };
    const last = probes[probes.length - 1];
    const collapsed: Array<{ name: string; peak: number; peakAt: number; now: number; firstBelow: number }> = [];
    for (const layer of last.layers) {
      const series = probes.map((p, i) => ({
        at: p.miniEpoch ?? i,
        std: p.layers.find((l) => l.name === layer.name)?.summary.std ?? null,
      }));
      let peak = { at: 0, std: 0 };
      for (const s of series) if (s.std !== null && s.std > peak.std) peak = { at: s.at, std: s.std };
      const now = layer.summary.std;
      if (peak.std === 0 || now === null || now * STD_COLLAPSE.factor >= peak.std) continue;
      const firstBelow =
        series.find((s) => s.at > peak.at && s.std !== null && s.std * STD_COLLAPSE.factor < peak.std)?.at ?? peak.at;
      collapsed.push({ name: layer.name, peak: peak.std, peakAt: peak.at, now, firstBelow });
    }
    if (collapsed.length === 0) return null;
    const first = collapsed[0];
    return {
      rule: this.id,
      severity: 'error',
      title: 'Activations collapsed',
      evidence: `${collapsed.length} layer(s) lost > ${STD_COLLAPSE.factor}× of their std; it starts at ${first.name}: std ${first.peak.toPrecision(3)} at mini-epoch ${first.peakAt} → ${first.now.toPrecision(3)} now (below peak/10 from mini-epoch ${first.firstBelow}). Layers: ${collapsed.map((c) => c.name).join(', ')}.`,
      suggestion: `Look at ${first.name} first: a too-high learning rate, a saturating activation or an SE gate closing can shrink everything downstream. Compare with the reference AlexNet layer at the same depth.`,
      where: first.name,
    };
  },
};
