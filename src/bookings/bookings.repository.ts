import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '../common/sql';
import { OutboxKind } from '../outbox/outbox-message.entity';
import { Booking, BookingAttention } from './booking.entity';
import { IdempotencyClaim } from './idempotency';
import { idempotencyParameters, recordIdempotencyKey } from './idempotency.repository';

/** A slot as the booking engine sees it, read under the slot's row lock. */
export interface LockedSlot {
  id: string;
  sessionId: string;
  capacity: number;
  booked: number;
  startsAt: Date;
  endsAt: Date;
  advisorId: string | null;
  advisorName: string | null;
  advisorEmail: string | null;
}

const SLOT_COLUMNS = `sl.id, sl.session_id AS "sessionId", sl.capacity, sl.booked, sl.starts_at AS "startsAt", sl.ends_at AS "endsAt",
  u.id AS "advisorId", u.name AS "advisorName", CASE WHEN u.active THEN u.email END AS "advisorEmail"`;

export interface SessionState {
  status: 'scheduled' | 'cancelled';
  statusReason: string | null;
  location: string;
  timeZone: string;
}

/** The slot a booking took, with its session's place and zone and the booking's creation time. */
export type BookedSeat = LockedSlot & { timeZone: string; location: string; createdAt: Date };

export type NewBooking = Pick<
  Booking,
  | 'id'
  | 'slotId'
  | 'attendeeName'
  | 'attendeeEmail'
  | 'attendeePhone'
  | 'organisationName'
  | 'organisationSiret'
  | 'organisationLegalForm'
  | 'organisationPostcode'
  | 'organisationCommuneCode'
  | 'topics'
  | 'message'
  | 'consentAt'
  | 'consentVersion'
  | 'consentGivenTo'
  | 'manageTokenHash'
  | 'icalUid'
>;

/**
 * The columns every new booking fills from `NewBooking`, as parameters $3 to $15 (after id and target)
 * and $23 (after the statements' own $16–$22).
 */
export const NEW_BOOKING_COLUMNS = `attendee_name, attendee_email, attendee_phone, organisation_name, organisation_siret, organisation_legal_form,
  organisation_postcode, topics, message, consent_at, manage_token_hash, ical_uid, consent_version, organisation_commune_code`;
export const NEW_BOOKING_PARAMETERS = '$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $23';

/** The values of NEW_BOOKING_COLUMNS $3–$15, in order; `lastBookingValues` gives $23. */
export function newBookingValues(booking: NewBooking): unknown[] {
  return [
    booking.attendeeName,
    booking.attendeeEmail,
    booking.attendeePhone,
    booking.organisationName,
    booking.organisationSiret,
    booking.organisationLegalForm,
    booking.organisationPostcode,
    booking.topics,
    booking.message,
    booking.consentAt,
    booking.manageTokenHash,
    booking.icalUid,
    booking.consentVersion,
  ];
}

/** The values of NEW_BOOKING_COLUMNS from $23 on, after each statement's own parameters. */
export function lastBookingValues(booking: NewBooking): unknown[] {
  return [booking.organisationCommuneCode];
}

/** What a booking looks like to its holder: the booking with where and when. */
export interface BookingView {
  booking: Booking;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  location: string;
  sessionId: string | null;
  workshop: { id: string; title: string } | null;
  advisor: { id: string; name: string } | null;
  waitlistPosition: number | null;
}

/** A booking touched by a change to its session, with what is needed to tell its holder. */
export interface AffectedBooking {
  id: string;
  attendeeEmail: string;
  attendeeName: string;
  advisorEmail: string | null;
}

/**
 * The booking engine's SQL. Lock order, everywhere: session row, then slot rows in id order, then
 * booking rows. The slot row lock is what serialises everything that changes a slot's seats.
 */
@Injectable()
export class BookingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The manager outside any transaction, for single-statement changes. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Locks the slots in id order (no deadlock between two transactions locking overlapping sets). */
  async lockSlots(slotIds: string[], manager: EntityManager): Promise<Map<string, LockedSlot>> {
    const rows: LockedSlot[] = await manager.query(
      `SELECT ${SLOT_COLUMNS}
       FROM slots sl JOIN desks d ON d.id = sl.desk_id LEFT JOIN users u ON u.id = d.advisor_id
       WHERE sl.id = ANY($1::uuid[]) ORDER BY sl.id FOR UPDATE OF sl`,
      [slotIds],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Read in its own statement after the slot lock, so it sees a session change committed meanwhile. */
  async sessionState(sessionId: string, manager: EntityManager): Promise<SessionState> {
    const [row]: SessionState[] = await manager.query(
      `SELECT status, status_reason AS "statusReason", location, time_zone AS "timeZone" FROM permanence_sessions WHERE id = $1`,
      [sessionId],
    );
    return row;
  }

  /** Takes one seat of a slot the caller has locked; false when it is full or closed. */
  async takeSeat(slotId: string, manager: EntityManager): Promise<boolean> {
    const rows = await updateReturning(manager, `UPDATE slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity AND bookable RETURNING id`, [slotId]);
    return rows.length === 1;
  }

  /** The slot, unlocked: to explain why a seat could not be taken. */
  async slot(slotId: string, manager: EntityManager): Promise<LockedSlot | null> {
    const [slot]: LockedSlot[] = await manager.query(
      `SELECT ${SLOT_COLUMNS} FROM slots sl JOIN desks d ON d.id = sl.desk_id LEFT JOIN users u ON u.id = d.advisor_id WHERE sl.id = $1`,
      [slotId],
    );
    return slot ?? null;
  }

  async releaseSeat(slotId: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE slots SET booked = booked - 1 WHERE id = $1`, [slotId]);
  }

  async hasActiveBooking(slotId: string, email: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM bookings WHERE slot_id = $1 AND lower(attendee_email) = lower($2) AND status <> 'cancelled' LIMIT 1`,
      [slotId, email],
    );
    return rows.length > 0;
  }

  /**
   * The whole booking in one statement, so one round trip: take a seat (the UPDATE locks the slot
   * row, and re-checks `bookable`, the count and the start on the row it waited for), insert the
   * booking, and record the messages it causes. No row when there is no seat to take; a second active
   * booking of the same e-mail on the slot violates `bookings_slot_email_key`, i.e. `already_booked`.
   * With an idempotency claim, the key is recorded by the same statement (see recordIdempotencyKey).
   */
  async book(booking: NewBooking, attendeeKind: OutboxKind, advisorKind: OutboxKind, now: Date, claim: IdempotencyClaim | null): Promise<BookedSeat | null> {
    const [row]: BookedSeat[] = await this.dataSource.query(
      `WITH seat AS (
         UPDATE slots sl SET booked = sl.booked + 1
         FROM desks d JOIN permanence_sessions s ON s.id = d.session_id LEFT JOIN users u ON u.id = d.advisor_id
         WHERE sl.id = $2 AND d.id = sl.desk_id AND sl.bookable AND sl.booked < sl.capacity AND sl.starts_at > $16
         RETURNING ${SLOT_COLUMNS}, s.time_zone AS "timeZone", s.location
       ), booking AS (
         INSERT INTO bookings (id, slot_id, status, consent_given_to, updated_at, ${NEW_BOOKING_COLUMNS})
         SELECT $1, seat.id, 'confirmed', $22::uuid, $16, ${NEW_BOOKING_PARAMETERS} FROM seat
         RETURNING id, created_at
       ), messages AS (
         INSERT INTO outbox_messages (kind, recipient, booking_id, payload, ical_sequence, available_at, created_at)
         SELECT m.kind, m.recipient, booking.id, '{}', 0, $16, $16
         FROM booking, seat, LATERAL (VALUES ($17::text, $4::text), ($18::text, seat."advisorEmail")) AS m(kind, recipient)
         WHERE m.recipient IS NOT NULL
       ), idempotency AS (
         ${recordIdempotencyKey('booking')}
       )
       SELECT seat.*, booking.created_at AS "createdAt" FROM seat, booking`,
      [
        booking.id,
        booking.slotId,
        ...newBookingValues(booking),
        now,
        attendeeKind,
        advisorKind,
        ...idempotencyParameters(claim),
        booking.consentGivenTo,
        ...lastBookingValues(booking),
      ],
    );
    return row ?? null;
  }

  /** The booking with its token hash, unlocked: enough to know which slot to lock next. */
  withTokenHash(id: string, manager: EntityManager = this.dataSource.manager): Promise<Booking | null> {
    return manager.createQueryBuilder(Booking, 'b').addSelect('b.manageTokenHash').where('b.id = :id', { id }).getOne();
  }

  /** The advisor on duty at the slot's desk (null for a desk nobody holds). */
  async deskAdvisorId(slotId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const [row]: Array<{ advisorId: string | null }> = await manager.query(
      `SELECT d.advisor_id AS "advisorId" FROM slots sl JOIN desks d ON d.id = sl.desk_id WHERE sl.id = $1`,
      [slotId],
    );
    return row?.advisorId ?? null;
  }

  lock(id: string, manager: EntityManager): Promise<Booking | null> {
    return manager.createQueryBuilder(Booking, 'b').where('b.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** Row changes carry the injected Clock's time as updated_at: TypeORM would otherwise write PostgreSQL's CURRENT_TIMESTAMP, and updated_at is the calendar's DTSTAMP. */
  async update(id: string, changes: Partial<Booking> & Pick<Booking, 'updatedAt'>, manager: EntityManager): Promise<void> {
    await manager.update(Booking, { id }, changes);
  }

  async view(id: string, manager: EntityManager = this.dataSource.manager): Promise<BookingView | null> {
    const booking = await manager.findOneBy(Booking, { id });
    if (!booking) return null;
    const [row]: Array<Omit<BookingView, 'booking' | 'advisor' | 'workshop'> & Record<'advisorId' | 'advisorName' | 'workshopTitle', string | null>> =
      booking.slotId !== null
        ? await manager.query(
            `SELECT sl.starts_at AS "startsAt", sl.ends_at AS "endsAt", s.time_zone AS "timeZone", s.location, s.id AS "sessionId",
                    u.id AS "advisorId", u.name AS "advisorName", NULL AS "workshopTitle", NULL::int AS "waitlistPosition"
             FROM slots sl JOIN permanence_sessions s ON s.id = sl.session_id JOIN desks d ON d.id = sl.desk_id
             LEFT JOIN users u ON u.id = d.advisor_id
             WHERE sl.id = $1`,
            [booking.slotId],
          )
        : await manager.query(
            `SELECT w.starts_at AS "startsAt", w.ends_at AS "endsAt", w.time_zone AS "timeZone", w.location, NULL AS "sessionId",
                    NULL AS "advisorId", NULL AS "advisorName", w.title AS "workshopTitle",
                    CASE WHEN $2::bigint IS NOT NULL THEN (SELECT count(*)::int + 1 FROM bookings b
                      WHERE b.workshop_id = w.id AND b.status = 'waitlisted' AND b.waitlist_seq < $2::bigint) END AS "waitlistPosition"
             FROM workshops w WHERE w.id = $1`,
            [booking.workshopId, booking.waitlistSeq],
          );
    const { advisorId, advisorName, workshopTitle, ...where } = row;
    return {
      booking,
      ...where,
      advisor: advisorId ? { id: advisorId, name: advisorName! } : null,
      workshop: booking.workshopId ? { id: booking.workshopId, title: workshopTitle! } : null,
    };
  }

  /** Cancels every confirmed booking of a session the CRESS cancels; the caller holds the slot locks. */
  async cancelAllOfSession(sessionId: string, reason: string, at: Date, manager: EntityManager): Promise<AffectedBooking[]> {
    const rows = await updateReturning<AffectedBooking>(
      manager,
      `UPDATE bookings b SET status = 'cancelled', cancelled_at = $2, cancelled_by = 'staff', cancel_reason = $3,
              attention = 'session_cancelled', attention_at = $2, sequence = sequence + 1, updated_at = $2
       FROM slots sl
       WHERE sl.id = b.slot_id AND sl.session_id = $1 AND b.status = 'confirmed'
       RETURNING b.id, b.attendee_email AS "attendeeEmail", b.attendee_name AS "attendeeName",
                 (SELECT u.email FROM desks d JOIN users u ON u.id = d.advisor_id WHERE d.id = sl.desk_id AND u.active) AS "advisorEmail"`,
      [sessionId, at, reason],
    );
    await manager.query(`UPDATE slots SET booked = 0, bookable = false WHERE session_id = $1`, [sessionId]);
    return rows;
  }

  /** Marks the confirmed bookings of a session changed by the CRESS; their invites get a new SEQUENCE. */
  async markSessionChanged(sessionId: string, attention: BookingAttention, at: Date, manager: EntityManager): Promise<AffectedBooking[]> {
    return updateReturning<AffectedBooking>(
      manager,
      `UPDATE bookings b SET attention = $2, attention_at = $3, sequence = sequence + 1, updated_at = $3, reminder_sent_at = NULL
       FROM slots sl
       WHERE sl.id = b.slot_id AND sl.session_id = $1 AND b.status = 'confirmed'
       RETURNING b.id, b.attendee_email AS "attendeeEmail", b.attendee_name AS "attendeeName",
                 (SELECT u.email FROM desks d JOIN users u ON u.id = d.advisor_id WHERE d.id = sl.desk_id AND u.active) AS "advisorEmail"`,
      [sessionId, attention, at],
    );
  }
}
