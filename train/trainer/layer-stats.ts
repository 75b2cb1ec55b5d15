/** Per-layer figures of one mini-epoch, the seed's "are my gradients vanishing?" question in numbers. */
export interface LayerTrainingStats {
  layer: string;
  /** Mean over the mini-epoch's steps of the layer's gradient L2 norm (all its trainable variables). */
  gradNorm: number;
  /** L2 norm of the layer's trainable weights at the end of the mini-epoch. */
  weightNorm: number;
  /** Mean over sampled steps of ||Δw|| / ||w|| for one optimizer step (healthy is roughly 1e-4 … 1e-2). */
  updateRatio: number;
}

/** Accumulates per-variable squares into per-layer norms across the steps of one mini-epoch. */
export class LayerStatsAccumulator {
  private readonly layers: string[];
  private readonly index: number[];
  private gradNormSum: Float64Array;
  private ratioSum: Float64Array;
  private steps = 0;
  private sampled = 0;
  private lastWeightNorm: Float64Array;

  constructor(layerOfVariable: string[]) {
    this.layers = [...new Set(layerOfVariable)];
    this.index = layerOfVariable.map((l) => this.layers.indexOf(l));
    this.gradNormSum = new Float64Array(this.layers.length);
    this.ratioSum = new Float64Array(this.layers.length);
    this.lastWeightNorm = new Float64Array(this.layers.length);
  }

  private perLayer(perVariable: Float32Array): Float64Array {
    const out = new Float64Array(this.layers.length);
    perVariable.forEach((v, i) => (out[this.index[i]] += v));
    return out;
  }

  addStep(gradSq: Float32Array, weightSq?: Float32Array, updateSq?: Float32Array): void {
    const g = this.perLayer(gradSq);
    for (let l = 0; l < g.length; l++) this.gradNormSum[l] += Math.sqrt(g[l]);
    this.steps++;
    if (weightSq && updateSq) {
      const w = this.perLayer(weightSq);
      const u = this.perLayer(updateSq);
      for (let l = 0; l < w.length; l++) {
        this.lastWeightNorm[l] = Math.sqrt(w[l]);
        this.ratioSum[l] += w[l] > 0 ? Math.sqrt(u[l]) / Math.sqrt(w[l]) : 0;
      }
      this.sampled++;
    }
  }

  /** Figures of the mini-epoch so far; then starts over. */
  finish(): LayerTrainingStats[] {
    const stats = this.layers.map((layer, l) => ({
      layer,
      gradNorm: this.steps ? this.gradNormSum[l] / this.steps : 0,
      weightNorm: this.lastWeightNorm[l],
      updateRatio: this.sampled ? this.ratioSum[l] / this.sampled : 0,
    }));
    this.gradNormSum.fill(0);
    this.ratioSum.fill(0);
    this.steps = 0;
    this.sampled = 0;
    return stats;
  }
}
