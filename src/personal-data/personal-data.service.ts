import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { BookingsService } from '../bookings/bookings.service';
import { IdempotencyRepository } from '../bookings/idempotency.repository';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Territory } from '../territory/territory';
import { JournalService } from '../journal/journal.service';
import { PersonalDataRepository } from './personal-data.repository';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';

const BATCH = 500;
const ERASE_REASON = 'Effacement des données personnelles à la demande de la personne';

/**
 * The GDPR side: contact data is anonymised RETENTION_MONTHS after the event (the figures stay);
 * an admin can export, or erase, everything held about one e-mail address.
 */
@Injectable()
export class PersonalDataService {
  private readonly logger = new Logger(PersonalDataService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PersonalDataRepository,
    private readonly idempotencyKeys: IdempotencyRepository,
    private readonly bookings: BookingsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly journal: JournalService,
    private readonly territory: Territory,
  ) {}

  /** The commune as the booking recorded it (territory/), as the booking's own answer gives it. */
  private commune(code: string | null) {
    const commune = code ? this.territory.commune(code) : null;
    return { communeCode: code, commune: commune?.name ?? null, inMetropolis: commune?.inMetropolis ?? null };
  }

  /**
   * Every booking whose event ended more than RETENTION_MONTHS ago, in batches; returns how many.
   * The same nightly run deletes the bookings' expired idempotency keys.
   */
  @Cron('0 30 4 * * *', { name: 'anonymise-expired-bookings', timeZone: PROGRAMME_TIME_ZONE })
  async anonymiseExpired(): Promise<number> {
    const now = this.clock.now();
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction((manager) =>
        this.repository.anonymise(
          manager,
          `coalesce(s.ends_at, w.ends_at) < $1::timestamptz - make_interval(months => $2::int)`,
          [now, this.config.retentionMonths],
          now,
          BATCH,
        ),
      );
      total += done;
      if (done < BATCH) break;
    }
    if (total > 0) this.logger.log(`Anonymised the contact data of ${total} booking(s) past the ${this.config.retentionMonths}-month retention period`);
    const entries = await this.journal.purgeExpired();
    if (entries > 0) this.logger.log(`Deleted ${entries} journal entr${entries > 1 ? 'ies' : 'y'} naming someone, past the retention period`);
    const keys = await this.idempotencyKeys.purgeExpired(now);
    if (keys > 0) this.logger.log(`Deleted ${keys} idempotency key(s) past their 24 hours`);
    return total;
  }

  /** Everything held about `email`, as the person may ask for it (GDPR art. 15); the export is journalled. */
  async export(email: string, staff: StaffUser) {
    const held = await this.held(email);
    // Not the address: the entry may outlive an erasure of it.
    await this.journal.record(this.dataSource.manager, {
      actor: staff,
      action: 'personal_data.exported',
      subject: { type: 'person', id: null },
      summary: `Export des données d’une adresse (${held.bookings.length} réservation(s), ${held.messages.length} message(s))`,
      details: { bookings: held.bookings.length, messages: held.messages.length },
    });
    return held;
  }

  /** What `export` gives, shown to an admin on the page before downloading or erasing. */
  async held(email: string) {
    const [bookings, messages] = await Promise.all([this.repository.bookingsOf(email, this.permanenceTitle()), this.repository.messagesTo(email)]);
    return {
      email,
      exportedAt: this.clock.now().toISOString(),
      retentionMonths: this.config.retentionMonths,
      bookings: bookings.map((booking) => ({
        id: booking.id,
        status: booking.status,
        event: {
          type: booking.eventType,
          title: booking.eventTitle,
          startsAt: booking.startsAt.toISOString(),
          endsAt: booking.endsAt.toISOString(),
          location: booking.location,
        },
        attendee: { name: booking.attendeeName, email: booking.attendeeEmail, phone: booking.attendeePhone },
        organisation: {
          name: booking.organisationName,
          siret: booking.organisationSiret,
          legalForm: booking.organisationLegalForm,
          postcode: booking.organisationPostcode,
          ...this.commune(booking.organisationCommuneCode),
        },
        topics: booking.topics,
        message: booking.message,
        consent: { at: booking.consentAt.toISOString(), version: booking.consentVersion, givenOrallyTo: booking.consentGivenTo },
        createdAt: booking.createdAt.toISOString(),
        cancelledAt: booking.cancelledAt?.toISOString() ?? null,
        cancelReason: booking.cancelReason,
        attendance: booking.attendance,
        attendanceNote: booking.attendanceNote,
        satisfaction: {
          requestedAt: booking.satisfactionRequestedAt?.toISOString() ?? null,
          optedOutAt: booking.satisfactionOptedOutAt?.toISOString() ?? null,
          score: booking.satisfactionScore,
          comment: booking.satisfactionComment,
          answeredAt: booking.satisfactionAnsweredAt?.toISOString() ?? null,
        },
        followUp: booking.followUp
          ? {
              note: booking.followUp.note,
              orientations: booking.followUp.orientations,
              followUpOn: booking.followUp.followUpOn,
              createdAt: new Date(booking.followUp.createdAt).toISOString(),
              updatedAt: new Date(booking.followUp.updatedAt).toISOString(),
            }
          : null,
      })),
      messages: messages.map((message) => ({
        id: message.id,
        kind: message.kind,
        status: message.status,
        createdAt: message.createdAt.toISOString(),
        sentAt: message.sentAt?.toISOString() ?? null,
      })),
    };
  }

  /** What `erase` would do for `email` now, for the admin to confirm: the same bookings and messages it takes. */
  async erasurePreview(email: string) {
    const [upcoming, pendingMessages, held] = await Promise.all([
      this.repository.upcomingDetail(email, this.clock.now()),
      this.repository.pendingMessagesCount(email),
      this.repository.bookingsOf(email, this.permanenceTitle()),
    ]);
    const workshopSeats = upcoming.filter((booking) => booking.workshop && booking.status === 'confirmed');
    return {
      email,
      bookings: held.length,
      upcomingPermanences: upcoming.filter((booking) => !booking.workshop).length,
      upcomingWorkshopSeats: workshopSeats.length,
      waitlistPromotions: workshopSeats.filter((booking) => booking.othersWaiting > 0).length,
      waitlistPlaces: upcoming.filter((booking) => booking.status === 'waitlisted').length,
      pendingMessages,
    };
  }

  /**
   * Forgets `email` (GDPR art. 17): bookings to come are cancelled through the booking engine (the
   * seat goes back, the first person waiting is promoted, the advisor is told), messages not yet
   * sent to the person are dropped, then every booking and message of the address is anonymised.
   */
  async erase(email: string, staff: StaffUser) {
    const upcoming = await this.repository.activeUpcoming(email, this.clock.now());
    for (const id of upcoming) await this.bookings.cancel(id, { token: null, staff }, ERASE_REASON);
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const droppedMessages = await this.repository.dropPendingMessages(email, manager);
      let anonymisedBookings = 0;
      for (;;) {
        const done = await this.repository.anonymise(manager, 'lower(b.attendee_email) = lower($1)', [email], now, BATCH);
        anonymisedBookings += done;
        if (done < BATCH) break;
      }
      await this.repository.forgetCounters(email, manager);
      // The counts, never the address (nor a hash of it, which would tell whether someone was here).
      await this.journal.record(manager, {
        actor: staff,
        action: 'personal_data.erased',
        subject: { type: 'person', id: null },
        summary: `Effacement des données d’une adresse : ${upcoming.length} réservation(s) à venir annulée(s), ${anonymisedBookings} anonymisée(s), ${droppedMessages} message(s) non envoyé(s) supprimé(s)`,
        details: { cancelledBookings: upcoming.length, anonymisedBookings, droppedMessages },
      });
      return { email, cancelledBookings: upcoming.length, anonymisedBookings, droppedMessages };
    });
  }

  /** How a permanence booking is titled in what a person receives about themselves. */
  private permanenceTitle(): string {
    return `Permanence de la ${this.config.identity.name}`;
  }
}
