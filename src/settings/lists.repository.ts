import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The editable lists, each a table of the same shape (migrations 1764810000000 and 1764840000000). */
export const LIST_KINDS = ['topics', 'legal-forms', 'orientations'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

const TABLES: Record<ListKind, string> = { topics: 'topics', 'legal-forms': 'legal_forms', orientations: 'orientations' };

export interface ListEntry {
  code: string;
  label: string;
  position: number;
  archivedAt: Date | null;
}

const COLUMNS = `code, label, position, archived_at AS "archivedAt"`;

@Injectable()
export class ListsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every entry, archived ones included (their labels stay on old bookings and in reports), in the list's order. */
  all(kind: ListKind, manager: EntityManager = this.dataSource.manager): Promise<ListEntry[]> {
    return manager.query(`SELECT ${COLUMNS} FROM ${TABLES[kind]} ORDER BY archived_at IS NOT NULL, position, code`);
  }

  /** The entries offered at booking, in order. */
  offered(kind: ListKind, manager: EntityManager = this.dataSource.manager): Promise<Array<{ code: string; label: string }>> {
    return manager.query(`SELECT code, label FROM ${TABLES[kind]} WHERE archived_at IS NULL ORDER BY position, code`);
  }

  /** The whole list, locked, so reordering and adding are serialised per list. */
  async lockAll(kind: ListKind, manager: EntityManager): Promise<ListEntry[]> {
    return manager.query(`SELECT ${COLUMNS} FROM ${TABLES[kind]} ORDER BY archived_at IS NOT NULL, position, code FOR UPDATE`);
  }

  async insert(kind: ListKind, entry: { code: string; label: string; position: number }, manager: EntityManager): Promise<void> {
    await manager.query(`INSERT INTO ${TABLES[kind]} (code, label, position) VALUES ($1, $2, $3)`, [entry.code, entry.label, entry.position]);
  }

  async update(kind: ListKind, code: string, change: { label: string; archivedAt: Date | null }, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE ${TABLES[kind]} SET label = $2, archived_at = $3 WHERE code = $1`, [code, change.label, change.archivedAt]);
  }

  /** Positions 1…n in the order of `codes`. */
  async renumber(kind: ListKind, codes: string[], manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE ${TABLES[kind]} AS entry SET position = ordered.position
         FROM unnest($1::text[]) WITH ORDINALITY AS ordered (code, position)
        WHERE entry.code = ordered.code AND entry.position IS DISTINCT FROM ordered.position`,
      [codes],
    );
  }
}
