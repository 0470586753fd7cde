import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DataDirInUseError, lockDataDir } from './data-dir-lock';

describe(lockDataDir.name, () => {
  let dir: string;
  const lockFile = () => join(dir, 'embedded-database.lock');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rvess-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes this process id into the lock, and removes it on release', () => {
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile(), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('refuses a folder held by a running process, naming it', () => {
    // The parent of this test process runs for as long as the test does.
    writeFileSync(lockFile(), `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(`held by process ${process.ppid}`);
    expect(readFileSync(lockFile(), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(lockFile(), `${gone}\n`);
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile(), 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('takes over a lock naming its own process id (a restarted container whose PID 1 it was)', () => {
    writeFileSync(lockFile(), `${process.pid}\n`);
    const release = lockDataDir(dir);
    expect(existsSync(lockFile())).toBe(true);
    release();
  });
});
