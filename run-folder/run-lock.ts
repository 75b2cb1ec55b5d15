import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { z } from 'zod';
import { runPaths } from './run-folder.js';

/**
 * One writer per run folder. `run.lock` names the process that writes it (PID, host, start time, command);
 * a second writer is refused with that PID, and the lock is taken over only when that process is gone
 * (a `kill -9` leaves the file behind; a live trainer orphaned by killing its `npm` wrapper keeps it).
 */

const holderSchema = z.object({
  pid: z.int().positive(),
  host: z.string(),
  startedAt: z.string(),
  command: z.string(),
  /** Linux: the process's start time in clock ticks since boot (/proc/PID/stat field 22), to tell a reused PID. */
  startTicks: z.string().optional(),
});
export type LockHolder = z.infer<typeof holderSchema>;

export class RunLockedError extends Error {
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message);
  }
}

export interface RunLock {
  path: string;
  holder: LockHolder;
  /** Removes the lock if it is still this process's; idempotent. */
  release(): Promise<void>;
}

/** True when a process with this PID exists here (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time of a process (Linux /proc), or undefined where there is no /proc. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, starttime 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The holder still runs: its PID exists and, where both start times are known, is the same process. */
function holderRuns(holder: LockHolder): boolean {
  if (!processAlive(holder.pid)) return false;
  const now = processStartTicks(holder.pid);
  return holder.startTicks === undefined || now === undefined || now === holder.startTicks;
}

async function readHolder(path: string): Promise<LockHolder | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    return holderSchema.parse(JSON.parse(text));
  } catch {
    return 'unreadable';
  }
}

const same = (a: LockHolder, b: LockHolder): boolean =>
  a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;

/** Takes the run folder's lock (the folder must exist); refuses with the holder named when another process writes it. */
export async function acquireRunLock(
  dir: string,
  command: string,
  log: (line: string) => void = () => undefined,
): Promise<RunLock> {
  const path = runPaths(dir).lock;
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command,
    startTicks: processStartTicks(process.pid),
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: 'wx' });
      return ownedLock(path, me);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(path);
    if (holder === 'missing') continue;
    if (holder === 'unreadable') {
      // Created but not yet written by a process starting right now, or left empty by a crash: wait it out.
      const age =
        Date.now() -
        (await stat(path).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age < 2000) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      log(`${path} is unreadable and ${Math.round(age / 1000)} s old: taking it over`);
      await rm(path, { force: true });
      continue;
    }
    if (holder.host !== me.host) {
      throw new RunLockedError(
        `${dir} is locked by PID ${holder.pid} on host ${holder.host} (${holder.command}, since ${holder.startedAt}); this machine cannot see whether it still runs: if it does not, delete ${path}`,
        holder,
      );
    }
    if (holderRuns(holder)) {
      throw new RunLockedError(
        `${dir} is being written by PID ${holder.pid} (${holder.command}, since ${holder.startedAt}): one writer per run folder. Stop that process (kill ${holder.pid}) or choose another --out`,
        holder,
      );
    }
    // Stale. Move it aside under a name of our own, and check what we moved is what we judged stale: another
    // process taking it over at the same moment may already have replaced it with its own live lock.
    const aside = `${path}.stale-${process.pid}`;
    try {
      await rename(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const moved = await readHolder(aside);
    if (typeof moved !== 'string' && !same(moved, holder)) {
      await rename(aside, path).catch(() => undefined);
      continue;
    }
    await rm(aside, { force: true });
    log(
      `taking over the lock of ${dir} from PID ${holder.pid} (${holder.command}, since ${holder.startedAt}), which is no longer running${processAlive(holder.pid) ? ' (its PID now belongs to another process)' : ''}`,
    );
  }
  throw new Error(`cannot take the lock ${path}: it kept changing hands`);
}

function ownedLock(path: string, me: LockHolder): RunLock {
  // A process that exits without release (process.exit in an error path) still drops its own lock.
  const onExit = (): void => {
    try {
      const held = holderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (held.success && same(held.data, me)) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  let released = false;
  return {
    path,
    holder: me,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      onExit();
    },
  };
}
