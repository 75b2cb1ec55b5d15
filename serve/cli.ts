/**
 * `npm run serve -- [--models DIR] [--runs DIR] [--reference squeezenet1.1] [--host 127.0.0.1] [--port 8080] [--token T]`
 * (at least one of --models, --runs, --reference)
 * Binds loopback by default and refuses any other address without a token. SIGTERM/SIGINT drain requests in
 * flight, release the sessions and exit 0.
 */
import { Command, InvalidArgumentError } from 'commander';
import { createApp } from './app.js';
import { bindRefusal } from './http/guard.js';
import { flushLogs, jsonLogger } from './http/log.js';
import { listen } from './listen.js';
import { settings } from '../settings/index.js';

const int =
  (name: string, min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
    return n;
  };

const program = new Command('serve')
  .description(
    'Serve run folders over HTTP: Open Inference Protocol v2, /v1/models/{name}/classify, /metrics, and a browser page at /',
  )
  .option('--models <dir>', 'a run folder, a folder of run folders, or a Triton model repository')
  .option('--runs <dir>', 'also show the runs and sweeps under DIR live at /runs (reports update while they train)')
  .option('--host <host>', 'address to bind (anything but loopback needs --token)', '127.0.0.1')
  .option('--port <port>', 'TCP port (0 = any free port)', int('--port', 0, 65535), 8080)
  .option('--token <token>', 'require Authorization: Bearer <token> on every model route (or set ACTPROBE_TOKEN)')
  .option('--max-body-mb <mb>', 'largest JSON inference body in MiB', int('--max-body-mb', 1, 1024), 16)
  .option(
    '--threads <n>',
    'onnxruntime intra-op threads per session (default: one per logical CPU)',
    int('--threads', 1, 256),
  )
  .option('--no-batching', 'run each request on its own instead of merging concurrent ones')
  .option(
    '--reference <card...>',
    'also serve a built-in reference under its card name (squeezenet1.1 ships with the project; others from the fetch-reference cache)',
  )
  .showHelpAfterError();

program.parse();
const opts = program.opts<{
  models?: string;
  runs?: string;
  host: string;
  port: number;
  token?: string;
  maxBodyMb: number;
  batching: boolean;
  threads?: number;
  reference?: string[];
}>();
const token = opts.token ?? settings().serveToken;
const refusal = bindRefusal(opts.host, token);
if (refusal) {
  console.error(`serve: ${refusal}`);
  process.exit(2);
}

try {
  const app = await createApp({
    models: opts.models,
    runs: opts.runs ? { root: opts.runs } : undefined,
    token,
    maxJsonBytes: opts.maxBodyMb << 20,
    batching: opts.batching,
    intraOpThreads: opts.threads,
    references: opts.reference,
  });
  const running = await listen(app, opts.host, opts.port);
  jsonLogger({
    level: 'info',
    msg: 'listening',
    url: running.url,
    auth: token ? 'bearer' : 'none',
    page: `${running.url}/`,
    ...(opts.runs ? { runs: `${running.url}/runs` } : {}),
  });
  const stop = (signal: string): void => {
    jsonLogger({ level: 'info', msg: 'shutting down', signal });
    void running.close().then(() => {
      jsonLogger({ level: 'info', msg: 'stopped' });
      flushLogs();
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (err) {
  flushLogs();
  console.error(`serve: ${(err as Error).message}`);
  process.exit(1);
}
