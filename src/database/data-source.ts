import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { User } from '../auth/user.entity';
import { Booking } from '../bookings/booking.entity';
import { OutboxMessage } from '../notifications/outbox-message.entity';
import { Desk } from '../permanences/desk.entity';
import { PermanenceSeries } from '../permanences/permanence-series.entity';
import { PermanenceSession } from '../permanences/permanence-session.entity';
import { Slot } from '../permanences/slot.entity';
import { Workshop } from '../workshops/workshop.entity';

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

/**
 * TypeORM options for PostgreSQL at `url`, or for the embedded database through PGlite's own
 * node-postgres adapter with a pool of one connection, so transactions never share a session.
 */
export function dataSourceOptions(target: { url: string; poolSize: number } | { pglite: PGlite }): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
  };
  if ('url' in target) {
    // A server that does not answer (down, or a network cut) fails a request after 5 s instead of
    // holding it forever; the pool opens new connections once it is back, without a restart.
    return { ...common, url: target.url, poolSize: target.poolSize, extra: { idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, application_name: 'rendez-vous-ess' } };
  }
  const { connection } = createPgConfig(target.pglite);
  // The pool must never drop its single client: the PGlite connection object cannot be reopened.
  return { ...common, poolSize: 1, extra: { connection, max: 1, idleTimeoutMillis: 0 } };
}

/** Opens the data source and brings the schema up to date; several instances may do it at once. */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
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
