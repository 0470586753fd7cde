import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { User } from '../auth/user.entity';
import type { DatabaseTimeouts } from '../config/app-config';
import { Booking } from '../bookings/booking.entity';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { Desk } from '../permanences/desk.entity';
import { PermanenceSeries } from '../permanences/permanence-series.entity';
import { PermanenceSession } from '../permanences/permanence-session.entity';
import { Slot } from '../permanences/slot.entity';
import { Workshop } from '../bookings/workshop.entity';

export const ENTITIES = [User, PermanenceSeries, PermanenceSession, Desk, Slot, Workshop, Booking, OutboxMessage];

/** Key of the session-level advisory lock that lets one instance at a time run the migrations. */
const MIGRATION_LOCK = 7_262_001;

// A `date` is a local calendar day, not an instant: keep PostgreSQL's 'YYYY-MM-DD' text instead of
// letting pg build a Date at the host's local midnight.
types.setTypeParser(types.builtins.DATE, (value) => value);

export function embeddedDirFor(dataDir: string): string {
  return join(dataDir, 'pglite');
}

/** Starts the embedded database (PGlite: PostgreSQL compiled to WebAssembly) in `dir`. */
export function openEmbedded(dir: string): PGlite {
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  return new PGlite(dir);
}

/** How long the client waits for an answer beyond the server's own statement_timeout. */
const CLIENT_MARGIN_MS = 1_000;
/** TCP keepalive on idle connections: a peer gone without a word is noticed. */
const KEEPALIVE_DELAY_MS = 10_000;

/**
 * A pg client that drops its connection when a query got no answer in time (query_timeout). Through
 * a frozen connection the server's statement_timeout error never arrives, and pg alone would keep the
 * connection: the ROLLBACK, then the next request given this client by the pool, would wait behind
 * the lost query. Closed, it fails them at once and the pool discards it.
 */
export class BoundedClient extends Client {
  // pg's query() has a dozen overloads; this one forwards whatever it is given and returns what pg returns.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const result: unknown = (super.query as (...parameters: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.catch((error: Error) => {
        if (error?.message === 'Query read timeout') this.connection.stream.destroy();
      });
    }
    return result;
  }
}

/**
 * TypeORM options for PostgreSQL at `url`, or for the embedded database through PGlite's own
 * node-postgres adapter with a pool of one connection, so transactions never share a session.
 * Without `timeouts` (migrations, which may rightly take minutes) statements are not bounded.
 */
export function dataSourceOptions(target: { url: string; poolSize: number; timeouts?: DatabaseTimeouts } | { pglite: PGlite }): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
  };
  if ('url' in target) {
    const timeouts = target.timeouts;
    // A server that does not answer (down, hung, or a network cut) fails a request within seconds
    // instead of holding it; the pool opens new connections once it is back, without a restart.
    const bounds = timeouts
      ? {
          Client: BoundedClient,
          connectionTimeoutMillis: timeouts.connectMs,
          statement_timeout: timeouts.statementMs,
          query_timeout: timeouts.statementMs + CLIENT_MARGIN_MS,
          idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
        }
      : { connectionTimeoutMillis: 5_000 };
    return {
      ...common,
      url: target.url,
      poolSize: target.poolSize,
      extra: { idleTimeoutMillis: 30_000, keepAlive: true, keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS, application_name: 'rendez-vous-ess', ...bounds },
    };
  }
  const { connection } = createPgConfig(target.pglite);
  // The pool must never drop its single client: the PGlite connection object cannot be reopened.
  return { ...common, poolSize: 1, extra: { connection, max: 1, idleTimeoutMillis: 0 } };
}

/**
 * Opens the data source and brings the schema up to date; several instances may do it at once.
 * With `migrateWith` (options without statement bounds) the migrations run on a data source of
 * their own, closed before `options` is opened.
 */
export async function initializeDataSource(options: DataSourceOptions, migrateWith?: DataSourceOptions): Promise<DataSource> {
  if (migrateWith) {
    const migrator = await initializeDataSource(migrateWith);
    await migrator.destroy();
    const dataSource = new DataSource(options);
    await dataSource.initialize();
    return dataSource;
  }
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function migrate(dataSource: DataSource): Promise<void> {
  if (dataSource.driver.options.poolSize === 1) {
    // The embedded database has one connection and one process: nobody to wait for, and a lock
    // held on a second runner would wait for that very connection forever.
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
