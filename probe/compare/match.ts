/**
 * Matches layers of a probed model to a reference by role: conv blocks by relative depth among the convs
 * (our i-th of k sits at (i + ½)/k, matched to the reference conv at the same fraction), fully connected
 * layers counted from the output end (last ↔ last). Other roles have no counterpart.
 */
import type { ProbeLayer } from '../schema.js';

export interface LayerMatch {
  ours: ProbeLayer;
  reference: ProbeLayer | null;
  /** Relative depth used for the match: position among same-role layers (0 = first, 1 = last). */
  relativeDepth: number | null;
}

export function matchLayers(ours: ProbeLayer[], ref: ProbeLayer[]): LayerMatch[] {
  const convs = ours.filter((l) => l.role === 'conv');
  const refConvs = ref.filter((l) => l.role === 'conv');
  const fcs = ours.filter((l) => l.role === 'fc');
  const refFcs = ref.filter((l) => l.role === 'fc');
  return ours.map((l): LayerMatch => {
    if (l.role === 'conv' && refConvs.length > 0) {
      const i = convs.indexOf(l);
      const pos = (i + 0.5) / convs.length;
      return {
        ours: l,
        reference: refConvs[Math.min(refConvs.length - 1, Math.floor(pos * refConvs.length))],
        relativeDepth: pos,
      };
    }
    if (l.role === 'fc' && refFcs.length > 0) {
      const fromEnd = fcs.length - 1 - fcs.indexOf(l);
      const j = Math.max(0, refFcs.length - 1 - fromEnd);
      return { ours: l, reference: refFcs[j], relativeDepth: fcs.length > 1 ? fcs.indexOf(l) / (fcs.length - 1) : 1 };
    }
    return { ours: l, reference: null, relativeDepth: null };
  });
}
