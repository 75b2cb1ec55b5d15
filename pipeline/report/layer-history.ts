/** activations.jsonl regrouped by layer: each tapped layer's entries across mini-epochs, ordered input → output. */
import type { LayerRole, ProbeLayer, ProbeResult } from '../../probe/schema.js';

export interface LayerEntry {
  miniEpoch: number;
  layer: ProbeLayer;
  /** Names of the watch images, indexed like `layer.watch.min`. */
  watchImages: string[];
}

export interface LayerHistory {
  name: string;
  role: LayerRole;
  depth: number;
  entries: LayerEntry[];
}

export function layerHistories(probes: ProbeResult[]): LayerHistory[] {
  const byName = new Map<string, LayerHistory>();
  probes.forEach((p, i) => {
    // A probe without miniEpoch (a one-off run) still gets a place on the x axis: its position in the log.
    const miniEpoch = p.miniEpoch ?? i;
    for (const layer of p.layers) {
      const h = byName.get(layer.name) ?? { name: layer.name, role: layer.role, depth: layer.depth, entries: [] };
      // The latest probe's depth and role win: taps may be renamed or added as the model is edited.
      h.role = layer.role;
      h.depth = layer.depth;
      h.entries.push({ miniEpoch, layer, watchImages: p.watchImages });
      byName.set(layer.name, h);
    }
  });
  return [...byName.values()].sort((a, b) => a.depth - b.depth);
}

export const miniEpochsOf = (probes: ProbeResult[]): number[] => probes.map((p, i) => p.miniEpoch ?? i);
