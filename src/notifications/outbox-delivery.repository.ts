import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { updateReturning } from '../common/sql';
import { OutboxKind, OutboxMessage } from '../outbox/outbox-message.entity';

/** A message with everything needed to write it: its booking, the event, the people. */
export interface MessageDetail {
  id: string;
  kind: OutboxKind;
  recipient: string;
  payload: OutboxMessage['payload'];
  icalSequence: number | null;
  attempts: number;
  createdAt: Date;
  bookingId: string | null;
  bookingStatus: 'confirmed' | 'waitlisted' | 'cancelled' | null;
  sequence: number | null;
  icalUid: string | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
  attendeePhone: string | null;
  organisationName: string | null;
  organisationLegalForm: string | null;
  topics: string[] | null;
  message: string | null;
  cancelReason: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  timeZone: string | null;
  location: string | null;
  workshopTitle: string | null;
  advisorName: string | null;
  staffName: string | null;
  waitlistPosition: number | null;
  /** For a cancelled permanence booking: the next scheduled permanence, to book again. */
  nextStartsAt: Date | null;
  nextEndsAt: Date | null;
  nextTimeZone: string | null;
  nextLocation: string | null;
}

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  recipient: string;
  bookingId: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  availableAt: Date;
  createdAt: Date;
  sentAt: Date | null;
}

/** The sender's SQL. Claiming skips rows another sender holds, and leases them for a while. */
@Injectable()
export class OutboxDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` due messages, leased until `leaseUntil`; a dead sender's lease simply runs out. */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<string[]> {
    const rows = await updateReturning<{ id: string }>(
      this.dataSource.manager,
      `UPDATE outbox_messages o SET locked_until = $2, attempts = o.attempts + 1
       FROM (SELECT m.id FROM outbox_messages m
             WHERE m.status = 'pending' AND m.available_at <= $1 AND (m.locked_until IS NULL OR m.locked_until <= $1)
               -- An earlier message to the same person about the same booking goes first (a CANCEL never overtakes its REQUEST).
               AND NOT EXISTS (SELECT 1 FROM outbox_messages e WHERE e.booking_id = m.booking_id AND e.recipient = m.recipient
                               AND e.status = 'pending' AND e.seq < m.seq)
             ORDER BY m.available_at, m.seq LIMIT $3 FOR UPDATE SKIP LOCKED) due
       WHERE o.id = due.id
       RETURNING o.id`,
      [now, leaseUntil, limit],
    );
    return rows.map((row) => row.id);
  }

  details(ids: string[]): Promise<MessageDetail[]> {
    return this.dataSource.query(
      `SELECT o.id, o.kind, o.recipient, o.payload, o.ical_sequence AS "icalSequence", o.attempts, o.created_at AS "createdAt",
              b.id AS "bookingId", b.status AS "bookingStatus", b.sequence, b.ical_uid AS "icalUid",
              b.attendee_name AS "attendeeName", b.attendee_email AS "attendeeEmail", b.attendee_phone AS "attendeePhone",
              b.organisation_name AS "organisationName", b.organisation_legal_form AS "organisationLegalForm",
              b.topics, b.message, b.cancel_reason AS "cancelReason",
              COALESCE(sl.starts_at, w.starts_at) AS "startsAt", COALESCE(sl.ends_at, w.ends_at) AS "endsAt",
              COALESCE(s.time_zone, w.time_zone) AS "timeZone", COALESCE(s.location, w.location) AS location,
              w.title AS "workshopTitle", advisor.name AS "advisorName", staff.name AS "staffName",
              CASE WHEN b.status = 'waitlisted' THEN (SELECT count(*)::int + 1 FROM bookings x
                WHERE x.workshop_id = b.workshop_id AND x.status = 'waitlisted' AND x.waitlist_seq < b.waitlist_seq) END AS "waitlistPosition",
              next.starts_at AS "nextStartsAt", next.ends_at AS "nextEndsAt", next.time_zone AS "nextTimeZone", next.location AS "nextLocation"
       FROM outbox_messages o
       LEFT JOIN bookings b ON b.id = o.booking_id
       LEFT JOIN slots sl ON sl.id = b.slot_id
       LEFT JOIN permanence_sessions s ON s.id = sl.session_id
       LEFT JOIN desks d ON d.id = sl.desk_id
       LEFT JOIN users advisor ON advisor.id = d.advisor_id
       LEFT JOIN workshops w ON w.id = b.workshop_id
       LEFT JOIN users staff ON lower(staff.email) = lower(o.recipient)
       -- After the message was recorded (not the time of sending), so a message sent again is the same.
       LEFT JOIN LATERAL (SELECT n.starts_at, n.ends_at, n.time_zone, n.location FROM permanence_sessions n
                          WHERE o.kind IN ('booking_cancelled', 'session_cancelled') AND s.id IS NOT NULL
                            AND n.status = 'scheduled' AND n.id <> s.id AND n.starts_at > o.created_at
                          ORDER BY n.starts_at LIMIT 1) next ON true
       WHERE o.id = ANY($1::uuid[])
       ORDER BY o.seq`,
      [ids],
    );
  }

  /** Gives back a claimed message unsent, for the next round (its attempt is not counted). */
  async release(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE outbox_messages SET locked_until = NULL, attempts = attempts - 1 WHERE id = $1 AND status = 'pending'`, [id]);
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE outbox_messages SET status = 'sent', sent_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1`, [id, now]);
  }

  /** Another try at `retryAt`, or `failed` (visible to admins) when there is none. */
  async markAttemptFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages SET status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
              available_at = COALESCE($3, available_at), locked_until = NULL, last_error = $2
       WHERE id = $1`,
      [id, error.slice(0, 1000), retryAt],
    );
  }

  list(status: OutboxRow['status'], limit: number): Promise<OutboxRow[]> {
    return this.dataSource.query(
      `SELECT id, kind, recipient, booking_id AS "bookingId", status, attempts, last_error AS "lastError",
              available_at AS "availableAt", created_at AS "createdAt", sent_at AS "sentAt"
       FROM outbox_messages WHERE status = $1 ORDER BY created_at DESC LIMIT $2`,
      [status, limit],
    );
  }

  /** A failed message goes back to the queue with fresh attempts; false when there is no such failed message. */
  async retry(id: string, now: Date): Promise<boolean> {
    const rows = await updateReturning(
      this.dataSource.manager,
      `UPDATE outbox_messages SET status = 'pending', attempts = 0, available_at = $2, locked_until = NULL WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id, now],
    );
    return rows.length === 1;
  }

  /** Every failed message back to the queue with fresh attempts, in one statement; the ids put back. */
  async retryAllFailed(now: Date): Promise<string[]> {
    const rows = await updateReturning<{ id: string }>(
      this.dataSource.manager,
      `UPDATE outbox_messages SET status = 'pending', attempts = 0, available_at = $1, locked_until = NULL WHERE status = 'failed' RETURNING id`,
      [now],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Records a reminder for every confirmed booking whose event starts within `hours`, once: the
   * UPDATE marks the booking in the same statement. Bookings made inside that window get none.
   */
  async queueReminders(now: Date, hours: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH due AS (
         UPDATE bookings b SET reminder_sent_at = $1
         FROM (SELECT b2.id, COALESCE(sl.starts_at, w.starts_at) AS starts_at
               FROM bookings b2 LEFT JOIN slots sl ON sl.id = b2.slot_id LEFT JOIN workshops w ON w.id = b2.workshop_id
               WHERE b2.status = 'confirmed' AND b2.reminder_sent_at IS NULL) e
         WHERE b.id = e.id AND b.reminder_sent_at IS NULL AND b.status = 'confirmed'
           AND e.starts_at > $1 AND e.starts_at <= $1 + make_interval(hours => $2)
           AND b.created_at < e.starts_at - make_interval(hours => $2)
         RETURNING b.id, b.attendee_email, b.sequence
       )
       INSERT INTO outbox_messages (kind, recipient, booking_id, payload, ical_sequence, available_at, created_at)
       SELECT 'reminder', attendee_email, id, '{}', sequence, $1, $1 FROM due RETURNING id`,
      [now, hours],
    );
    return rows.length;
  }
}
