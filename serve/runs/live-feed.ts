/**
 * Server-sent events for one run or sweep page. While someone watches, the files that grow during training
 * are polled (stat only: size + mtime, so a run written from another terminal or machine is seen the same
 * way); when they change, or the run's state changes (e.g. it becomes stalled), the page is rendered again
 * and pushed as one `update` event. Polling stops when the last viewer leaves.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Response } from 'express';

export interface LiveUpdate {
  /** The page as a full HTML document (the report, or the sweep's comparison page). */
  html: string;
  state: string;
  detail: string;
  /** Short progress text for the status line ("mini-epoch 3 of 8", "4 finished, 1 running"). */
  progress: string;
}

export interface FeedSource {
  /** Files whose size/mtime mean "something new" (missing files count too: they may appear). */
  files(): Promise<string[]>;
  /** Cheap state check, polled with the files (a run can become stalled without any file changing). */
  state(): Promise<string>;
  render(): Promise<LiveUpdate>;
}

const RUN_FILES = [
  'manifest.json',
  'metrics.jsonl',
  'activations.jsonl',
  'diagnosis.json',
  'report.html',
  'failure.json',
];
export const runFiles = (dir: string): string[] => RUN_FILES.map((f) => join(dir, f));

async function signature(files: string[]): Promise<string> {
  const stats = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => `${s.size}:${s.mtimeMs}`,
        () => '-',
      ),
    ),
  );
  return stats.join('|');
}

export class LiveFeed {
  private readonly viewers = new Set<Response>();
  private timer: NodeJS.Timeout | null = null;
  private last = '';
  private latest: LiveUpdate | null = null;
  private busy = false;

  constructor(
    private readonly source: FeedSource,
    private readonly pollMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  add(res: Response): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n\n`);
    this.viewers.add(res);
    res.on('close', () => this.remove(res));
    if (this.latest) this.send(res, this.latest);
    if (!this.timer) {
      this.last = '';
      this.timer = setInterval(() => void this.poll(), this.pollMs);
      void this.poll();
    }
  }

  /** Ends every stream (server shutdown: an open stream must not hold the close). */
  closeAll(): void {
    for (const res of this.viewers) res.end();
    this.viewers.clear();
    this.stop();
  }

  private remove(res: Response): void {
    this.viewers.delete(res);
    if (this.viewers.size === 0) this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private send(res: Response, u: LiveUpdate): void {
    res.write(`event: update\ndata: ${JSON.stringify(u)}\n\n`);
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const sig = `${await signature(await this.source.files())}#${await this.source.state()}`;
      if (sig === this.last) return;
      this.latest = await this.source.render();
      this.last = sig; // only once rendered: a failed render is retried at the next poll
      for (const res of this.viewers) this.send(res, this.latest);
    } catch (err) {
      this.onError(err as Error);
    } finally {
      this.busy = false;
    }
  }
}
