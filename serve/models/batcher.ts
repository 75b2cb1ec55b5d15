/**
 * Merges concurrent requests into one onnxruntime run. onnxruntime-node runs a session on the JS thread
 * (inside a setImmediate), so runs never overlap anyway; while one runs, requests arriving meanwhile queue up
 * and the next run takes them all (up to `maxImages`). No timer: a lone request runs at once, so batching
 * adds no latency at low load (one event-loop turn after each run, microseconds). Whether this pays is measured by test/bench/server-load.ts.
 */
export type RunBatch = (input: Float32Array, images: number) => Promise<Float32Array>;

interface Pending {
  input: Float32Array;
  images: number;
  resolve: (out: Float32Array) => void;
  reject: (err: unknown) => void;
}

export interface BatcherStats {
  runs: number;
  images: number;
}

export class Batcher {
  private queue: Pending[] = [];
  private busy = false;
  readonly stats: BatcherStats = { runs: 0, images: 0 };

  constructor(
    private readonly run: RunBatch,
    private readonly imageSize: number,
    private readonly maxImages: number,
    private readonly onBatch?: (images: number) => void,
  ) {}

  submit(input: Float32Array, images: number): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, images, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        // Let the requests already read in this event-loop turn join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.take();
      const images = batch.reduce((s, p) => s + p.images, 0);
      const input = batch.length === 1 ? batch[0].input : new Float32Array(images * this.imageSize);
      if (batch.length > 1) batch.reduce((at, p) => (input.set(p.input, at), at + p.input.length), 0);
      this.stats.runs++;
      this.stats.images += images;
      this.onBatch?.(images);
      try {
        const out = await this.run(input, images);
        const per = out.length / images;
        let at = 0;
        for (const p of batch) {
          p.resolve(out.slice(at * per, (at + p.images) * per));
          at += p.images;
        }
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
      // Requests that arrived while the run held the JS thread are read in the next I/O phase: wait one
      // turn so they join the next run instead of each starting one of their own.
      if (this.queue.length === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.busy = false;
  }

  /** Whole requests in arrival order until the next one would pass `maxImages` (always at least one). */
  private take(): Pending[] {
    let images = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || images + this.queue[n].images <= this.maxImages))
      images += this.queue[n++].images;
    return this.queue.splice(0, n);
  }
}
