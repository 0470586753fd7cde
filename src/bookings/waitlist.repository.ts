import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning } from '../common/sql';
import { OutboxKind } from '../outbox/outbox-message.entity';
import { Workshop } from '../bookings/workshop.entity';
import { lastBookingValues, NEW_BOOKING_COLUMNS, NEW_BOOKING_PARAMETERS, NewBooking, newBookingValues } from './bookings.repository';
import { IdempotencyClaim } from './idempotency';
import { idempotencyParameters, recordIdempotencyKey } from './idempotency.repository';
import { Seats } from './waitlist-rules';

export type RegistrationOutcome =
  | 'confirmed'
  | 'waitlisted'
  | 'workshop_not_found'
  | 'workshop_cancelled'
  | 'registration_not_open'
  | 'registration_closed'
  | 'already_booked'
  | 'organisation_limit_reached'
  | 'workshop_full';

export interface Registration {
  outcome: RegistrationOutcome;
  waitlistPosition: number | null;
  createdAt: Date | null;
  title: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  location: string;
}

/** Someone whose booking a workshop change touched, with what is needed to tell them. */
export interface Touched {
  id: string;
  attendeeEmail: string;
  /** Whether they held a seat (and so an event in their calendar) before the change. */
  hadSeat?: boolean;
}

/**
 * The workshop side of the booking engine. The workshop row lock serialises everything that
 * changes its seats; lock order: workshop row, then booking rows.
 */
@Injectable()
export class WaitlistRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One round trip: `take_workshop_seat` (migration 1764300000000) decides under the workshop's row
   * lock and counts the seat or the place in line; the booking, its message and its idempotency key
   * (see recordIdempotencyKey) are inserted with it.
   */
  async register(
    booking: NewBooking,
    workshopId: string,
    now: Date,
    kinds: Record<'confirmed' | 'waitlisted', OutboxKind>,
    claim: IdempotencyClaim | null,
  ): Promise<Registration> {
    const [row]: Registration[] = await this.dataSource.query(
      `WITH seat AS (
         SELECT * FROM take_workshop_seat($2, $16, $4, $7, $6)
       ), booking AS (
         INSERT INTO bookings (id, workshop_id, status, waitlist_seq, consent_given_to, updated_at, ${NEW_BOOKING_COLUMNS})
         SELECT $1, $2, seat.outcome, CASE WHEN seat.outcome = 'waitlisted' THEN nextval('bookings_waitlist_seq') END, $22::uuid, $16, ${NEW_BOOKING_PARAMETERS}
         FROM seat WHERE seat.outcome IN ('confirmed', 'waitlisted')
         RETURNING id, status, created_at
       ), message AS (
         INSERT INTO outbox_messages (kind, recipient, booking_id, payload, ical_sequence, available_at, created_at)
         SELECT CASE booking.status WHEN 'confirmed' THEN $17 ELSE $18 END, $4, booking.id, '{}', 0, $16, $16 FROM booking
       ), idempotency AS (
         ${recordIdempotencyKey('booking')}
       )
       SELECT seat.outcome, seat.waitlist_position AS "waitlistPosition", booking.created_at AS "createdAt",
              w.title, w.starts_at AS "startsAt", w.ends_at AS "endsAt", w.time_zone AS "timeZone", w.location
       FROM seat LEFT JOIN booking ON true LEFT JOIN workshops w ON w.id = $2`,
      [
        booking.id,
        workshopId,
        ...newBookingValues(booking),
        now,
        kinds.confirmed,
        kinds.waitlisted,
        ...idempotencyParameters(claim),
        booking.consentGivenTo,
        ...lastBookingValues(booking),
      ],
    );
    return row;
  }

  lockWorkshop(id: string, manager: EntityManager): Promise<Workshop | null> {
    return manager.createQueryBuilder(Workshop, 'w').where('w.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** Sets the counters to what the caller computed under the workshop lock (one statement, so the CHECKs see the end state). */
  async setSeats(id: string, seats: Seats, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE workshops SET capacity = $2, confirmed = $3, waitlisted = $4, updated_at = $5 WHERE id = $1`, [
      id,
      seats.capacity,
      seats.confirmed,
      seats.waitlisted,
      now,
    ]);
  }

  /** The first `count` people on the waitlist take a seat, in order. */
  async promote(workshopId: string, count: number, now: Date, manager: EntityManager): Promise<Touched[]> {
    if (count === 0) return [];
    return updateReturning<Touched>(
      manager,
      `UPDATE bookings SET status = 'confirmed', waitlist_seq = NULL, promoted_at = $3, sequence = sequence + 1, updated_at = $3
       WHERE id IN (SELECT id FROM bookings WHERE workshop_id = $1 AND status = 'waitlisted' ORDER BY waitlist_seq LIMIT $2)
       RETURNING id, attendee_email AS "attendeeEmail"`,
      [workshopId, count, now],
    );
  }

  /** Every active booking of a workshop the CRESS cancels; the caller holds the workshop lock. */
  async cancelAll(workshopId: string, reason: string, now: Date, manager: EntityManager): Promise<Touched[]> {
    return updateReturning<Touched>(
      manager,
      `UPDATE bookings b SET status = 'cancelled', waitlist_seq = NULL, cancelled_at = $2, cancelled_by = 'staff', cancel_reason = $3,
              attention = 'workshop_cancelled', attention_at = $2, sequence = b.sequence + 1, updated_at = $2
       FROM (SELECT id, status FROM bookings WHERE workshop_id = $1 AND status <> 'cancelled' FOR UPDATE) AS before
       WHERE b.id = before.id
       RETURNING b.id, b.attendee_email AS "attendeeEmail", before.status = 'confirmed' AS "hadSeat"`,
      [workshopId, now, reason],
    );
  }

  /** Marks the confirmed bookings of a workshop whose time or place changed; their invites get a new SEQUENCE. */
  async markChanged(workshopId: string, now: Date, manager: EntityManager): Promise<Touched[]> {
    return updateReturning<Touched>(
      manager,
      `UPDATE bookings SET attention = 'workshop_changed', attention_at = $2, sequence = sequence + 1, updated_at = $2, reminder_sent_at = NULL
       WHERE workshop_id = $1 AND status = 'confirmed'
       RETURNING id, attendee_email AS "attendeeEmail"`,
      [workshopId, now],
    );
  }

  /** Confirmed and waiting registrations, in order, for the staff. */
  registrations(workshopId: string): Promise<Array<Record<string, unknown>>> {
    return this.dataSource.query(
      `SELECT id, status, attendee_name AS "attendeeName", attendee_email AS "attendeeEmail", attendee_phone AS "attendeePhone",
              organisation_name AS "organisationName", organisation_siret AS "organisationSiret", organisation_legal_form AS "organisationLegalForm",
              created_at AS "createdAt", promoted_at AS "promotedAt", attendance,
              CASE WHEN status = 'waitlisted' THEN row_number() OVER (PARTITION BY status ORDER BY waitlist_seq) END::int AS "waitlistPosition"
       FROM bookings WHERE workshop_id = $1 AND status <> 'cancelled'
       ORDER BY status = 'waitlisted', waitlist_seq NULLS FIRST, created_at`,
      [workshopId],
    );
  }
}
