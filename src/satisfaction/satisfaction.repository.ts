import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '../common/sql';

/** A booking as its satisfaction links need it: the event, the link state, the answer given. */
export interface SatisfactionState {
  id: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  anonymised: boolean;
  requestedAt: Date | null;
  generation: number;
  optedOutAt: Date | null;
  eventType: 'permanence' | 'workshop';
  workshopTitle: string | null;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  location: string;
  score: number | null;
  comment: string | null;
  answeredAt: Date | null;
  updatedAt: Date | null;
}

/** The satisfaction question's SQL: recording the due questions once, the link state, the answers, the opt-outs. */
@Injectable()
export class SatisfactionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the question for every booking due now, once: a confirmed, attended (`present`),
   * not anonymised booking not asked before, of an event held on a local date before `today` that
   * ended less than `lateDays` days ago, whose address has not opted out. The bookings are locked
   * (those another run holds are skipped) and marked by the statement that records their messages:
   * two runs, in one instance or two, never record one twice.
   */
  async queueDue(now: Date, today: string, timeZone: string, lateDays: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH due AS (
         SELECT b.id FROM bookings b
         WHERE b.id IN (SELECT x.id FROM bookings x JOIN slots sl ON sl.id = x.slot_id
                        WHERE sl.ends_at > $1::timestamptz - make_interval(days => $4) AND sl.ends_at <= $1
                          AND (sl.starts_at AT TIME ZONE $3::text)::date < $2::date
                        UNION ALL
                        SELECT x.id FROM bookings x JOIN workshops w ON w.id = x.workshop_id
                        WHERE w.starts_at > $1::timestamptz - make_interval(days => $4 + 1)
                          AND w.ends_at > $1::timestamptz - make_interval(days => $4) AND w.ends_at <= $1
                          AND (w.starts_at AT TIME ZONE $3::text)::date < $2::date)
           AND b.satisfaction_requested_at IS NULL AND b.status = 'confirmed' AND b.attendance = 'present' AND b.anonymised_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM bookings o WHERE lower(o.attendee_email) = lower(b.attendee_email) AND o.satisfaction_opted_out_at IS NOT NULL)
         ORDER BY b.id
         FOR UPDATE OF b SKIP LOCKED
       ), marked AS (
         UPDATE bookings b SET satisfaction_requested_at = $1 FROM due WHERE b.id = due.id
         RETURNING b.id, b.attendee_email, b.sequence
       )
       INSERT INTO outbox_messages (kind, recipient, booking_id, payload, ical_sequence, available_at, created_at)
       SELECT 'satisfaction', attendee_email, id, '{}', sequence, $1, $1 FROM marked RETURNING id`,
      [now, today, timeZone, lateDays],
    );
    return rows.length;
  }

  /** The booking's state, locked for an answer when `lock` is set. */
  async state(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<SatisfactionState | null> {
    const [row] = await manager.query<SatisfactionState[]>(
      `SELECT b.id, b.status, b.anonymised_at IS NOT NULL AS anonymised, b.satisfaction_requested_at AS "requestedAt",
              b.satisfaction_link_generation AS generation, b.satisfaction_opted_out_at AS "optedOutAt",
              CASE WHEN b.workshop_id IS NULL THEN 'permanence' ELSE 'workshop' END AS "eventType", w.title AS "workshopTitle",
              coalesce(sl.starts_at, w.starts_at) AS "startsAt", coalesce(sl.ends_at, w.ends_at) AS "endsAt",
              coalesce(s.time_zone, w.time_zone) AS "timeZone", coalesce(s.location, w.location) AS location,
              a.score, a.comment, a.answered_at AS "answeredAt", a.updated_at AS "updatedAt"
       FROM bookings b
       LEFT JOIN slots sl ON sl.id = b.slot_id
       LEFT JOIN permanence_sessions s ON s.id = sl.session_id
       LEFT JOIN workshops w ON w.id = b.workshop_id
       LEFT JOIN satisfaction_answers a ON a.booking_id = b.id
       WHERE b.id = $1${lock ? ' FOR UPDATE OF b' : ''}`,
      [id],
    );
    return row ?? null;
  }

  /** Moves the link generation on from `generation`; false when another answer moved it first. */
  async consumeLink(manager: EntityManager, id: string, generation: number): Promise<boolean> {
    const rows = await updateReturning(
      manager,
      `UPDATE bookings SET satisfaction_link_generation = satisfaction_link_generation + 1
       WHERE id = $1 AND satisfaction_link_generation = $2 RETURNING id`,
      [id, generation],
    );
    return rows.length === 1;
  }

  /** The answer, first or changed; `comment` undefined keeps the one given before. */
  async saveAnswer(manager: EntityManager, id: string, score: number, comment: string | null | undefined, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO satisfaction_answers (booking_id, score, comment, answered_at, updated_at) VALUES ($1, $2, $3, $5, $5)
       ON CONFLICT (booking_id) DO UPDATE SET score = EXCLUDED.score,
         comment = CASE WHEN $4::boolean THEN satisfaction_answers.comment ELSE EXCLUDED.comment END, updated_at = EXCLUDED.updated_at`,
      [id, score, comment ?? null, comment === undefined, now],
    );
  }

  /**
   * No more questions to the booking's address: every booking of it (not anonymised) is marked, and
   * a question recorded but not sent yet is dropped. The time of the first opt-out is kept.
   */
  async optOut(manager: EntityManager, id: string, now: Date): Promise<Date> {
    const [row] = await manager.query<Array<{ email: string }>>(`SELECT attendee_email AS email FROM bookings WHERE id = $1`, [id]);
    await manager.query(
      `UPDATE bookings SET satisfaction_opted_out_at = coalesce(satisfaction_opted_out_at, $2)
       WHERE lower(attendee_email) = lower($1) AND anonymised_at IS NULL`,
      [row.email, now],
    );
    await manager.query(`DELETE FROM outbox_messages WHERE kind = 'satisfaction' AND status = 'pending' AND lower(recipient) = lower($1)`, [row.email]);
    const [state] = await manager.query<Array<{ at: Date }>>(`SELECT satisfaction_opted_out_at AS at FROM bookings WHERE id = $1`, [id]);
    return state.at;
  }
}
