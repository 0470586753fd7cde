import { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE … RETURNING and gives its rows. TypeORM's `query()` answers an UPDATE or DELETE
 * on PostgreSQL with `[rows, affectedCount]` rather than the rows alone, unlike a SELECT or INSERT.
 */
export async function updateReturning<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  const [rows] = (await manager.query(sql, parameters)) as [T[], number];
  return rows;
}
