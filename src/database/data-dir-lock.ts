import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Another process holds the data folder. */
export class DataDirInUseError extends Error {
  constructor(
    readonly holderPid: number,
    readonly lockFile: string,
  ) {
    super(`${lockFile} is held by process ${holderPid}`);
  }
}

/**
 * Holds `dataDir` for this process's life. The embedded database keeps its pages in this process's
 * memory: a second process on the same files would start, serve, and overwrite the first one's
 * writes. The lock is a file naming the holder's PID, created atomically (a complete file is linked
 * into place, so nobody ever reads it half-written) and removed on exit. A file naming a process
 * that no longer runs (killed, crashed) is stale and taken over.
 *
 * Returns the function that releases the lock (also run on exit).
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, 'embedded-database.lock');
  const candidate = `${lockFile}.${process.pid}`;
  writeFileSync(candidate, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(candidate, lockFile);
        const release = () => {
          if (holderOf(lockFile) === process.pid) rmSync(lockFile, { force: true });
        };
        process.once('exit', release);
        return release;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = holderOf(lockFile);
      // Our own PID in the file is a previous life of this container's PID 1, not us.
      if (holder !== null && holder !== process.pid && isRunning(holder)) throw new DataDirInUseError(holder, lockFile);
      rmSync(lockFile, { force: true });
    }
    throw new Error(`${lockFile} keeps reappearing: another process is starting on the same DATA_DIR`);
  } finally {
    unlinkSync(candidate);
  }
}

function holderOf(lockFile: string): number | null {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
