import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { Clock, FixedClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { configureHttpApp } from '../../src/http-app';
import { SessionGenerator } from '../../src/permanences/session-generator.service';
import { createTestDatabase, dropDatabase, EMBEDDED, urlFor } from './databases';

export const ADMIN = { email: 'admin@cress.test', password: 'admin-password-123' };

export interface TestApp {
  baseUrl: string;
  /** The PostgreSQL database of this app (null on the embedded database). */
  database: string | null;
  jwtSecret: string;
  dataDir: string;
  clock: FixedClock;
  dataSource: DataSource;
  generator: SessionGenerator;
  app: NestExpressApplication;
  close(): Promise<void>;
}

/**
 * The whole service on a real HTTP port, with its own database (a copy of the migrated template on
 * PostgreSQL, or an in-memory embedded one when TEST_DATABASE=embedded) and a clock the test sets.
 */
export async function startTestApp(options: { now?: string; env?: Record<string, string>; sameDatabaseAs?: TestApp } = {}): Promise<TestApp> {
  const shared = options.sameDatabaseAs?.database ?? null;
  const database = EMBEDDED ? null : (shared ?? (await createTestDatabase()));
  const dataDir = mkdtempSync(join(tmpdir(), 'rvess-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // The outbox loop is off; tests that deliver mail drive it (OutboxSender.drain) or turn it on.
    OUTBOX_POLL_MS: '0',
    // Tests make many requests from one address; test/rate-limits.test.ts turns the limits on.
    RATE_LIMITS: 'off',
    ...(database ? { DATABASE_URL: urlFor(database), DATABASE_POOL_SIZE: '20' } : {}),
    // Instances sharing a database share the token secret, as a real deployment must.
    ...(options.sameDatabaseAs ? { JWT_SECRET: options.sameDatabaseAs.jwtSecret } : {}),
    ...options.env,
  });
  config.embeddedDatabaseDir = 'memory://';
  const clock = new FixedClock(new Date(options.now ?? '2026-11-27T10:00:00Z'));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forConfig(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    database,
    jwtSecret: config.jwtSecret,
    dataDir,
    clock,
    dataSource: app.get(DataSource),
    generator: app.get(SessionGenerator),
    app,
    async close() {
      await app.close();
      // A second instance on the same database leaves dropping it to the first.
      if (database && !shared) await dropDatabase(database);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
