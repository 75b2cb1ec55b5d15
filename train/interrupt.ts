/**
 * Ctrl-C (SIGINT) or SIGTERM asks a run to stop cleanly: the current step finishes, the manifest is marked
 * interrupted and the command says which checkpoint --resume will use. A second signal stops at once (the
 * last complete checkpoint is still there: checkpoints are written to a temporary folder and renamed).
 */
export function stopOnInterrupt(log: (line: string) => void): AbortSignal {
  const controller = new AbortController();
  const first = (signal: NodeJS.Signals): void => {
    log(`${signal}: finishing the current step, then stopping (send it again to stop at once)`);
    controller.abort();
    for (const s of ['SIGINT', 'SIGTERM'] as const) {
      process.removeListener(s, first);
      process.once(s, () => {
        log(`${s} again: stopping now; --resume continues from the last complete checkpoint`);
        process.exit(130);
      });
    }
  };
  process.on('SIGINT', first);
  process.on('SIGTERM', first);
  return controller.signal;
}
