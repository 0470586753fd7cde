import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN } from './test-app';

/** The bench's way of building and starting the service as its own process (bench/lib/service.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench is a CommonJS script outside the TypeScript project, typed here.
const bench = require('../../bench/lib/service') as {
  ensureBuilt(): void;
  startService(options: { databaseUrl: string; dataDir: string; env: Record<string, string> }): Promise<{
    baseUrl: string;
    child: ChildProcess;
    output: () => string;
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  }>;
};

export interface ServiceProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals | null>;
  stop(): Promise<void>;
}

/**
 * The built service as its own process (`node dist/src/main.js` with the production node options),
 * as production runs it, on `DATABASE_URL` from `env`; built first when dist/ is stale.
 */
export async function startServiceProcess(env: Record<string, string> & { DATABASE_URL: string }): Promise<ServiceProcess> {
  bench.ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'rvess-process-'));
  const { DATABASE_URL: databaseUrl, ...rest } = env;
  const service = await bench.startService({
    databaseUrl,
    dataDir,
    // LOG_LEVEL=log: the tests read what the service says while it stops.
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'log', ...rest },
  });
  const exited = service.exited.then(({ code, signal }) => code ?? signal);
  return {
    baseUrl: service.baseUrl,
    child: service.child,
    output: service.output,
    exited,
    async stop() {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
