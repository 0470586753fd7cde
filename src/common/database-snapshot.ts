import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FreshQuery } from './fresh-query';
import { preparedQuery } from './sql';

/**
 * Which transactions have ended, as PostgreSQL's current snapshot (`xmin:xmax:xip,…`) — asked once
 * for every request waiting at that moment, and never older than the call (FreshQuery). Two equal
 * snapshots mean that no transaction committed or aborted in between, on any instance or in SQL:
 * whatever was read after the first is still what the database holds. Cheap (no table is read) and
 * free for writers (no trigger, no lock). It moves on any write of the cluster, so what it guards is
 * checked again more often than needed when other databases of the server are busy, never less.
 *
 * How to use it: take it before reading, keep it with what was made of the rows, and use that while
 * a later call gives the same snapshot.
 */
@Injectable()
export class DatabaseSnapshot {
  private readonly query = new FreshQuery(async () => {
    const [row] = await preparedQuery<{ snapshot: string }>(this.dataSource, 'current-snapshot', 'SELECT pg_current_snapshot()::text AS snapshot', []);
    return row.snapshot;
  });

  constructor(private readonly dataSource: DataSource) {}

  /** The snapshot as of the call or later. */
  current(): Promise<string> {
    return this.query.get();
  }
}
