import { Logger } from '@nestjs/common';
import { createServer } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { MaskingLogger } from './common/mask';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { DataDirInUseError, lockDataDir } from './database/data-dir-lock';
import { configureHttpApp } from './http-app';
import { checkMetropolis } from './territory/territory';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
    checkMetropolis(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (!config.databaseUrl) holdDataDir(config.dataDir);
  // Before anything starts: a port in use would otherwise surface after the database is open and
  // "successfully started" is logged.
  if (await portInUse(config.port)) refusePort(config.port);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bodyParser: false,
    logger: new MaskingLogger({ logLevels: levelsFrom(config.logLevel) }),
  });
  configureHttpApp(app);
  try {
    await app.listen(config.port);
  } catch (error) {
    // Taken between the check and now.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await app.close();
    refusePort(config.port);
  }
  stopGracefullyOn(['SIGTERM', 'SIGINT'], app);
  new Logger('Rendez-vous ESS').log(`Listening on ${config.publicUrl} (API documentation: ${config.publicUrl}/api/docs)`);
}

/** The embedded database is this process's alone: a second process on the same DATA_DIR stops here. */
function holdDataDir(dataDir: string): void {
  try {
    lockDataDir(dataDir);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    console.error(
      `DATA_DIR ${dataDir} is in use by process ${error.holderPid} (its embedded database is open there): ` +
        `stop that process first, or give this one another DATA_DIR (or a DATABASE_URL); ` +
        `if process ${error.holderPid} is not Rendez-vous ESS, delete ${error.lockFile}`,
    );
    process.exit(1);
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    // Same address as app.listen(port): every interface.
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}

function refusePort(port: number): never {
  console.error(`PORT ${port} is already in use by another process: stop it, or set PORT to a free port`);
  process.exit(1);
}

/** How long requests in flight may take to finish once a stop is asked for. */
const DRAIN_TIMEOUT_MS = 15_000;

/**
 * On SIGTERM (or Ctrl-C): stop accepting connections, let the requests in flight finish, then close
 * the application — the outbox round in progress completes, the database pool closes (transactions
 * end, so their advisory and row locks are released) — and exit.
 */
function stopGracefullyOn(signals: NodeJS.Signals[], app: NestExpressApplication): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: no new connections; finishing the requests in flight`);
    const server = app.getHttpServer();
    const force = setTimeout(() => {
      logger.warn(`Requests still running after ${DRAIN_TIMEOUT_MS / 1000} s: closing their connections`);
      server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    await app.close();
    logger.log('Stopped');
    process.exit(0);
  };
  for (const signal of signals) process.on(signal, (received) => void stop(received));
}

function levelsFrom(level: AppConfig['logLevel']) {
  const all = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  return all.slice(0, all.indexOf(level) + 1);
}

void bootstrap();
