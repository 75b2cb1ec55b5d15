/**
 * The live run pages (`serve --runs DIR`): GET /runs (list), GET /runs/view?path=REL (a run's report or a
 * sweep's comparison, updated in place), GET /runs/events?path=REL (the server-sent events behind it).
 */
import { Router } from 'express';
import { notFound } from '../errors.js';
import type { Logger } from '../http/log.js';
import { discoverRuns, type RunsEntry } from './discover.js';
import { LiveFeed } from './live-feed.js';
import { listPage } from './list-page.js';
import { shellPage } from './shell.js';
import { runSource, sweepSource } from './sources.js';

export interface RunsOptions {
  root: string;
  /** How often a watched run's files are checked (ms); default 1000. */
  pollMs?: number;
  /** A running run is "stalled" after this many quiet seconds (or 3 mini-epochs' time if longer); default 120. */
  stallSeconds?: number;
  log: Logger;
}

export interface RunsRoutes {
  router: Router;
  /** Ends every open event stream (called before the server closes). */
  closeStreams(): void;
}

export function runsRoutes(opts: RunsOptions): RunsRoutes {
  const feeds = new Map<string, LiveFeed>();
  const find = async (rel: unknown): Promise<RunsEntry> => {
    const entries = await discoverRuns(opts.root);
    const e = typeof rel === 'string' ? entries.find((x) => x.rel === rel) : undefined;
    if (!e) throw notFound(`no run or sweep ${JSON.stringify(rel)} under --runs; see /runs for the list`);
    return e;
  };
  const r = Router();
  r.get('/runs', async (_req, res) => {
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(await listPage(opts.root, await discoverRuns(opts.root), opts.stallSeconds));
  });
  r.get('/runs/view', async (req, res) => {
    const e = await find(req.query.path);
    res.type('html').set('Cache-Control', 'no-store').send(shellPage(e.rel, e.kind));
  });
  r.get('/runs/events', async (req, res) => {
    const e = await find(req.query.path);
    const key = `${e.kind}:${e.rel}`;
    let feed = feeds.get(key);
    if (!feed) {
      const source = e.kind === 'sweep' ? sweepSource(e, opts.stallSeconds) : runSource(e, opts.stallSeconds);
      feed = new LiveFeed(source, opts.pollMs ?? 1000, (err) =>
        opts.log({ level: 'error', msg: 'live page render failed', run: e.rel, error: err.message }),
      );
      feeds.set(key, feed);
    }
    feed.add(res);
  });
  return { router: r, closeStreams: () => feeds.forEach((f) => f.closeAll()) };
}
