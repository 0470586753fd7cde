import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '../common/sql';
import type { JournalAction } from './journal-actions';

export interface JournalRow {
  id: string;
  actorId: string | null;
  actorName: string | null;
  action: JournalAction;
  subjectType: string | null;
  subjectId: string | null;
  summary: string;
  details: Record<string, unknown>;
  at: Date;
}

export interface JournalFilter {
  from?: Date;
  /** Exclusive. */
  before?: Date;
  action?: JournalAction;
}

export interface NewJournalEntry {
  actorId: string | null;
  action: JournalAction;
  subjectType: string | null;
  subjectId: string | null;
  summary: string;
  details: Record<string, unknown>;
  namesPerson: boolean;
  at: Date;
}

@Injectable()
export class JournalRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, entry: NewJournalEntry): Promise<void> {
    await manager.query(
      `INSERT INTO staff_journal (actor_id, action, subject_type, subject_id, summary, details, names_person, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.actorId,
        entry.action,
        entry.subjectType,
        entry.subjectId,
        entry.summary.slice(0, 500),
        JSON.stringify(entry.details),
        entry.namesPerson,
        entry.at,
      ],
    );
  }

  /** Newest first; `limit` rows from `offset`. */
  page(filter: JournalFilter, limit: number, offset: number): Promise<JournalRow[]> {
    return this.dataSource.query(
      `SELECT j.id, j.actor_id AS "actorId", u.name AS "actorName", j.action, j.subject_type AS "subjectType", j.subject_id AS "subjectId",
              j.summary, j.details, j.at
       FROM staff_journal j LEFT JOIN users u ON u.id = j.actor_id
       WHERE ($1::timestamptz IS NULL OR j.at >= $1) AND ($2::timestamptz IS NULL OR j.at < $2) AND ($3::text IS NULL OR j.action = $3)
       ORDER BY j.at DESC, j.seq DESC
       LIMIT $4 OFFSET $5`,
      [filter.from ?? null, filter.before ?? null, filter.action ?? null, limit, offset],
    );
  }

  /** Entries naming someone outside the team, older than `before`; how many were deleted. */
  async purgeNamingPeopleBefore(before: Date): Promise<number> {
    const rows = await updateReturning(this.dataSource.manager, `DELETE FROM staff_journal WHERE names_person AND at < $1 RETURNING id`, [before]);
    return rows.length;
  }
}
