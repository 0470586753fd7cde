import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { JournalService } from '../journal/journal.service';
import { staffCancellation } from './staff-cancellation';
import { DomainError } from '../common/domain-error';
import { KeyedLimiter } from '../common/keyed-limiter';
import { OutboxRepository } from '../outbox/outbox.repository';
import { Workshop } from '../bookings/workshop.entity';
import { Booking, CancelledBy } from './booking.entity';
import { BookingsRepository, NewBooking } from './bookings.repository';
import { IdempotencyClaim } from './idempotency';
import { afterCapacityChange, afterLeaving } from './waitlist-rules';
import { Registration, Touched, WaitlistRepository } from './waitlist.repository';

/**
 * Registrations for one workshop sent to PostgreSQL at once by this instance. They all wait for the
 * same row lock anyway; two keep the lock busy while the rest wait in order here (see bench/).
 */
const REGISTRATIONS_IN_FLIGHT_PER_WORKSHOP = 2;

/**
 * The workshop side of the booking engine: registration with a waitlist, leaving it, promotion,
 * capacity changes and cancellation. Everything that changes seats holds the workshop's row lock.
 */
@Injectable()
export class WaitlistService {
  private readonly rush = new KeyedLimiter(REGISTRATIONS_IN_FLIGHT_PER_WORKSHOP);

  constructor(
    private readonly dataSource: DataSource,
    private readonly waitlist: WaitlistRepository,
    private readonly bookings: BookingsRepository,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly journal: JournalService,
  ) {}

  /** `confirmed` while seats remain, then `waitlisted` at the end of the line (or 409 without a waitlist). */
  async register(booking: NewBooking, workshopId: string, claim: IdempotencyClaim | null): Promise<Registration> {
    const registration = await this.rush.run(workshopId, () =>
      this.waitlist.register(booking, workshopId, this.clock.now(), { confirmed: 'workshop_confirmed', waitlisted: 'workshop_waitlisted' }, claim),
    );
    if (registration.outcome !== 'confirmed' && registration.outcome !== 'waitlisted') throw refusal(registration.outcome);
    return registration;
  }

  /** A confirmed attendee's seat goes to the first person waiting, in the same transaction; idempotent. */
  async leave(found: Booking, by: CancelledBy, reason: string | null, staff: StaffUser | null = null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const workshop = (await this.waitlist.lockWorkshop(found.workshopId!, manager))!;
      const booking = (await this.bookings.lock(found.id, manager))!;
      if (booking.status === 'cancelled') return;
      const now = this.clock.now();
      await this.bookings.update(
        booking.id,
        { status: 'cancelled', waitlistSeq: null, cancelledAt: now, cancelledBy: by, cancelReason: reason, sequence: booking.sequence + 1, updatedAt: now },
        manager,
      );
      const { seats, promote } = afterLeaving(workshop, booking.status);
      const promoted = await this.waitlist.promote(workshop.id, promote, now, manager);
      await this.waitlist.setSeats(workshop.id, seats, now, manager);
      await this.outbox.record(manager, [
        {
          kind: 'booking_cancelled',
          recipient: booking.attendeeEmail,
          bookingId: booking.id,
          payload: { by, reason, hadSeat: booking.status === 'confirmed' },
        },
        ...promotions(promoted),
      ]);
      if (staff) await this.journal.record(manager, staffCancellation(staff, booking.id, 'atelier', reason));
    });
  }

  /** A new capacity; raising it promotes as many as now fit, lowering it below the confirmed is refused. */
  async changeCapacity(workshop: Workshop, capacity: number, manager: EntityManager): Promise<void> {
    const change = afterCapacityChange(workshop, capacity);
    if (!change) {
      throw new DomainError('capacity_below_confirmed', `${workshop.confirmed} personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous.`, [
        { field: 'capacity', message: `Au moins ${workshop.confirmed}.` },
      ]);
    }
    const now = this.clock.now();
    const promoted = await this.waitlist.promote(workshop.id, change.promote, now, manager);
    await this.waitlist.setSeats(workshop.id, change.seats, now, manager);
    await this.outbox.record(manager, promotions(promoted));
  }

  /** Cancels every registration of a workshop the CRESS cancels; each person is to be told why. */
  async cancelAll(workshop: Workshop, reason: string, manager: EntityManager): Promise<void> {
    const now = this.clock.now();
    const cancelled = await this.waitlist.cancelAll(workshop.id, reason, now, manager);
    await this.waitlist.setSeats(workshop.id, { capacity: workshop.capacity, confirmed: 0, waitlisted: 0 }, now, manager);
    await this.outbox.record(
      manager,
      cancelled.map((touched) => ({
        kind: 'workshop_cancelled' as const,
        recipient: touched.attendeeEmail,
        bookingId: touched.id,
        payload: { reason, hadSeat: touched.hadSeat ?? true },
      })),
    );
  }

  /** The workshop moved in time or place: its confirmed attendees are to be told. */
  async markChanged(workshop: Workshop, manager: EntityManager): Promise<void> {
    const touched = await this.waitlist.markChanged(workshop.id, this.clock.now(), manager);
    await this.outbox.record(
      manager,
      touched.map((booking) => ({ kind: 'workshop_changed' as const, recipient: booking.attendeeEmail, bookingId: booking.id })),
    );
  }
}

function promotions(promoted: Touched[]) {
  return promoted.map((touched) => ({ kind: 'workshop_promoted' as const, recipient: touched.attendeeEmail, bookingId: touched.id }));
}

function refusal(outcome: Registration['outcome']): DomainError {
  switch (outcome) {
    case 'workshop_not_found':
      return new DomainError('workshop_not_found', 'Cet atelier n’existe pas.');
    case 'workshop_cancelled':
      return new DomainError('workshop_cancelled', 'Cet atelier est annulé.');
    case 'registration_not_open':
      return new DomainError('registration_not_open', 'Les inscriptions à cet atelier ne sont pas encore ouvertes.');
    case 'registration_closed':
      return new DomainError('registration_closed', 'Les inscriptions à cet atelier sont closes.');
    case 'already_booked':
      return new DomainError('already_booked', 'Cette adresse e-mail est déjà inscrite à cet atelier.');
    case 'organisation_limit_reached':
      return new DomainError('organisation_limit_reached', 'Votre structure a atteint le nombre d’inscriptions permis pour cet atelier.');
    case 'workshop_full':
    default:
      return new DomainError('workshop_full', 'Cet atelier est complet.');
  }
}
