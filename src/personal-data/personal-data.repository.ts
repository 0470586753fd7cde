import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '../common/sql';

/** What a booking's contact data becomes; the organisation, topics, attendance and orientations given stay for the figures. */
export const ANONYMOUS_NAME = 'Personne anonymisée';
export const ANONYMOUS_RECIPIENT = 'anonyme@anonyme.invalid';

export interface HeldBooking {
  id: string;
  status: string;
  eventType: 'permanence' | 'workshop';
  eventTitle: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  attendeeName: string;
  attendeeEmail: string;
  attendeePhone: string | null;
  organisationName: string;
  organisationSiret: string | null;
  organisationLegalForm: string | null;
  organisationPostcode: string | null;
  topics: string[];
  message: string | null;
  consentAt: Date;
  consentVersion: string | null;
  consentGivenTo: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  attendance: string | null;
  attendanceNote: string | null;
  organisationCommuneCode: string | null;
  satisfactionRequestedAt: Date | null;
  satisfactionOptedOutAt: Date | null;
  satisfactionScore: number | null;
  satisfactionComment: string | null;
  satisfactionAnsweredAt: Date | null;
  /** The follow-up noted after the appointment (follow-ups/), or null. */
  followUp: { note: string | null; orientations: string[]; followUpOn: string | null; createdAt: string; updatedAt: string } | null;
}

export interface HeldMessage {
  id: string;
  kind: string;
  status: string;
  createdAt: Date;
  sentAt: Date | null;
}

@Injectable()
export class PersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A permanence booking's event is titled `permanenceTitle`. */
  bookingsOf(email: string, permanenceTitle: string): Promise<HeldBooking[]> {
    return this.dataSource.query(
      `SELECT b.id, b.status,
              CASE WHEN b.workshop_id IS NULL THEN 'permanence' ELSE 'workshop' END AS "eventType",
              coalesce(w.title, $2) AS "eventTitle",
              coalesce(s.starts_at, w.starts_at) AS "startsAt", coalesce(s.ends_at, w.ends_at) AS "endsAt",
              coalesce(ps.location, w.location) AS location,
              b.attendee_name AS "attendeeName", b.attendee_email AS "attendeeEmail", b.attendee_phone AS "attendeePhone",
              b.organisation_name AS "organisationName", b.organisation_siret AS "organisationSiret",
              b.organisation_legal_form AS "organisationLegalForm", b.organisation_postcode AS "organisationPostcode",
              b.organisation_commune_code AS "organisationCommuneCode",
              b.topics, b.message, b.consent_at AS "consentAt", b.consent_version AS "consentVersion", cu.name AS "consentGivenTo", b.created_at AS "createdAt",
              b.cancelled_at AS "cancelledAt", b.cancel_reason AS "cancelReason", b.attendance, b.attendance_note AS "attendanceNote",
              b.satisfaction_requested_at AS "satisfactionRequestedAt", b.satisfaction_opted_out_at AS "satisfactionOptedOutAt",
              sa.score AS "satisfactionScore", sa.comment AS "satisfactionComment", sa.answered_at AS "satisfactionAnsweredAt",
              (SELECT json_build_object('note', f.note, 'orientations', f.orientations, 'followUpOn', to_char(f.follow_up_on, 'YYYY-MM-DD'),
                                        'createdAt', f.created_at, 'updatedAt', f.updated_at)
               FROM booking_follow_ups f WHERE f.booking_id = b.id) AS "followUp"
       FROM bookings b
       LEFT JOIN slots s ON s.id = b.slot_id
       LEFT JOIN desks d ON d.id = s.desk_id
       LEFT JOIN permanence_sessions ps ON ps.id = d.session_id
       LEFT JOIN workshops w ON w.id = b.workshop_id
       LEFT JOIN users cu ON cu.id = b.consent_given_to
       LEFT JOIN satisfaction_answers sa ON sa.booking_id = b.id
       WHERE lower(b.attendee_email) = lower($1)
       ORDER BY b.created_at`,
      [email, permanenceTitle],
    );
  }

  messagesTo(email: string): Promise<HeldMessage[]> {
    return this.dataSource.query(
      `SELECT id, kind, status, created_at AS "createdAt", sent_at AS "sentAt"
       FROM outbox_messages WHERE lower(recipient) = lower($1) ORDER BY created_at, id`,
      [email],
    );
  }

  /** Bookings of `email` that still hold a seat or a place in line for an event to come. */
  async activeUpcoming(email: string, now: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT b.id FROM bookings b LEFT JOIN slots s ON s.id = b.slot_id LEFT JOIN workshops w ON w.id = b.workshop_id
       WHERE lower(b.attendee_email) = lower($1) AND b.status IN ('confirmed', 'waitlisted') AND coalesce(s.starts_at, w.starts_at) > $2`,
      [email, now],
    );
    return rows.map((row) => row.id);
  }

  /**
   * What an erasure would cancel: each booking of `activeUpcoming`, whether it is a workshop's, and
   * for a workshop seat how many other people wait behind it (one of them gets the seat).
   */
  upcomingDetail(email: string, now: Date): Promise<Array<{ status: 'confirmed' | 'waitlisted'; workshop: boolean; othersWaiting: number }>> {
    return this.dataSource.query(
      `SELECT b.status, b.workshop_id IS NOT NULL AS workshop,
              CASE WHEN b.workshop_id IS NOT NULL AND b.status = 'confirmed'
                   THEN (SELECT count(*)::int FROM bookings x WHERE x.workshop_id = b.workshop_id AND x.status = 'waitlisted' AND lower(x.attendee_email) <> lower($1))
                   ELSE 0 END AS "othersWaiting"
       FROM bookings b LEFT JOIN slots s ON s.id = b.slot_id LEFT JOIN workshops w ON w.id = b.workshop_id
       -- the same bookings as activeUpcoming
       WHERE lower(b.attendee_email) = lower($1) AND b.status IN ('confirmed', 'waitlisted') AND coalesce(s.starts_at, w.starts_at) > $2`,
      [email, now],
    );
  }

  async pendingMessagesCount(email: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE lower(recipient) = lower($1) AND status = 'pending'`,
      [email],
    );
    return row.n;
  }

  /** Messages to `email` not sent yet: nobody is to be written to once they asked to be forgotten. */
  async dropPendingMessages(email: string, manager: EntityManager): Promise<number> {
    const rows = await updateReturning(manager, `DELETE FROM outbox_messages WHERE lower(recipient) = lower($1) AND status = 'pending' RETURNING id`, [email]);
    return rows.length;
  }

  /**
   * Anonymises the bookings `where` selects (a condition on `b`, with `$1`… as `params`), at most
   * `limit` at a time; the messages sent to them lose their address too. Rows another transaction
   * holds are skipped (the next run takes them), so two instances never wait on each other.
   */
  async anonymise(manager: EntityManager, where: string, params: unknown[], now: Date, limit: number): Promise<number> {
    const n = params.length;
    const rows = await updateReturning(
      manager,
      `WITH target AS (
         SELECT b.id, b.attendee_email FROM bookings b
         LEFT JOIN slots s ON s.id = b.slot_id LEFT JOIN workshops w ON w.id = b.workshop_id
         WHERE b.anonymised_at IS NULL AND (${where})
         ORDER BY b.id LIMIT $${n + 2} FOR UPDATE OF b SKIP LOCKED
       ), messages AS (
         UPDATE outbox_messages m SET recipient = '${ANONYMOUS_RECIPIENT}', payload = '{}', last_error = NULL
         FROM target t WHERE m.booking_id = t.id AND lower(m.recipient) = lower(t.attendee_email)
       ), idempotency_keys AS (
         DELETE FROM idempotency_keys k USING target t WHERE k.booking_id = t.id
       ), satisfaction AS (
         -- The score stays, a figure detached from the person; the comment is their words.
         UPDATE satisfaction_answers a SET comment = NULL FROM target t WHERE a.booking_id = t.id AND a.comment IS NOT NULL
       ), follow_up_notes AS (
         -- The note is personal data; the orientations given stay, for the figures (follow-ups/).
         UPDATE booking_follow_ups f SET note = NULL FROM target t WHERE f.booking_id = t.id AND f.note IS NOT NULL
       )
       UPDATE bookings b
       SET attendee_name = '${ANONYMOUS_NAME}', attendee_email = 'anonyme-' || b.id || '@anonyme.invalid',
           attendee_phone = NULL, message = NULL, cancel_reason = NULL, attendance_note = NULL,
           anonymised_at = $${n + 1}, updated_at = $${n + 1}
       FROM target t WHERE b.id = t.id
       RETURNING b.id`,
      [...params, now, limit],
    );
    return rows.length;
  }

  async forgetCounters(email: string, manager: EntityManager): Promise<void> {
    const address = email.trim().toLowerCase();
    // The login lock's key is lower-cased by PostgreSQL (AuthService.login).
    await manager.query(`DELETE FROM rate_limits WHERE key = ANY($1) OR key = 'login-failures:' || lower($2::text)`, [
      [`booking-email:${address}`, `login-failures:${address}`],
      email,
    ]);
  }
}
