import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN } from './test-app';

/** The bench's way of building and starting the service as its own process (bench/lib/service.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench is a CommonJS script outside the TypeScript project, typed here.
const bench = require('../../bench/lib/service') as {
  ROOT: string;
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

/**
 * The built service on the embedded database in `dataDir` (shared between calls, unlike
 * `startServiceProcess`), once it answers on /health.
 */
export async function startEmbeddedServiceProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  bench.ensureBuilt();
  const service = await bench.startService({
    databaseUrl: '',
    dataDir,
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'log', OUTBOX_POLL_MS: '0', ...env },
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
    },
  };
}

/** Runs `node dist/src/main.js` with `env` until it exits by itself (a refused start); killed after `ms`. */
export async function runServiceUntilExit(env: Record<string, string>, ms = 60_000): Promise<{ code: number | null; output: string }> {
  bench.ensureBuilt();
  const child = spawn(process.execPath, [join(bench.ROOT, 'dist', 'src', 'main.js')], {
    cwd: bench.ROOT,
    env: { ...process.env, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, RATE_LIMITS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}
