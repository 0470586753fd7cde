import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { JournalService } from '../journal/journal.service';
import { staffCancellation } from './staff-cancellation';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ListsService } from '../settings/lists.service';
import { OutboxEntry, OutboxRepository } from '../outbox/outbox.repository';
import { CalendarFile, calendarFile } from '../ical/calendar-response';
import { buildFeed, FeedEvent } from '../ical/ical-files';
import { Booking } from './booking.entity';
import { CONSENT_VERSION } from './consent';
import { BookingsRepository, BookingView, LockedSlot, NewBooking, SessionState } from './bookings.repository';
import { CreateBookingDto, StaffBookingDto } from './dto/create-booking.dto';
import { IdempotencyClaim, idempotencyClaim, parseIdempotencyKey } from './idempotency';
import { IdempotencyRepository } from './idempotency.repository';
import { ManageTokens, manageTokenMatches, manageUrl } from './manage-token';
import { WaitlistService } from './waitlist.service';
import { communeOf } from '../territory/commune-choice';
import { Territory } from '../territory/territory';

/** What a booking is made of, online (the person's consent) or by staff (the consent given orally). */
export type BookingRequest = CreateBookingDto | StaffBookingDto;

/** Who is acting on a booking: the holder of its manage token, or a signed-in staff member. */
export type BookingAccess = { token: string | null; staff: StaffUser | null };

/** The booking engine's entry points, for permanence slots and workshops alike. */
@Injectable()
export class BookingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bookings: BookingsRepository,
    private readonly waitlist: WaitlistService,
    private readonly idempotency: IdempotencyRepository,
    private readonly tokens: ManageTokens,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly journal: JournalService,
    private readonly lists: ListsService,
    private readonly territory: Territory,
  ) {}

  /**
   * A slot (`slotId`) or a workshop (`workshopId`); the manage token is in this response only, and in
   * its replays: with an `Idempotency-Key`, the same key and the same request within 24 hours answer
   * with the booking the first one made (its current state) instead of booking again; the key with
   * another request is refused. A request that failed stored nothing, so its retry is tried afresh.
   */
  async book(dto: BookingRequest, idempotencyKey?: string, takenBy: StaffUser | null = null) {
    if ((dto.slotId === undefined) === (dto.workshopId === undefined)) {
      const message = 'Indiquez soit slotId (un créneau de permanence), soit workshopId (un atelier).';
      throw new DomainError('validation_failed', message, [
        { field: 'slotId', message },
        { field: 'workshopId', message },
      ]);
    }
    const claim = idempotencyKey === undefined ? null : idempotencyClaim(parseIdempotencyKey(idempotencyKey), dto, this.clock.now());
    const replayed = claim && (await this.replay(claim));
    if (replayed) return replayed;
    const communeCode = communeOf(this.territory, dto.organisation, 'organisation.');
    await this.lists.checkOffered({ legalForm: dto.organisation.legalForm, topics: dto.topics });
    const id = randomUUID();
    const { token, hash } = this.tokens.issue(id);
    const booking: NewBooking = {
      id,
      slotId: dto.slotId ?? null,
      attendeeName: dto.attendee.name,
      attendeeEmail: dto.attendee.email,
      attendeePhone: dto.attendee.phone ?? null,
      organisationName: dto.organisation.name,
      organisationSiret: dto.organisation.siret ?? null,
      organisationLegalForm: dto.organisation.legalForm ?? null,
      organisationPostcode: dto.organisation.postcode ?? null,
      organisationCommuneCode: communeCode,
      topics: dto.topics ?? [],
      message: dto.message ?? null,
      consentAt: this.clock.now(),
      consentVersion: CONSENT_VERSION,
      consentGivenTo: takenBy?.id ?? null,
      manageTokenHash: hash,
      icalUid: `${id}@rendez-vous-ess`,
    };
    let view: BookingView;
    try {
      view = dto.workshopId ? await this.registerForWorkshop(booking, dto.workshopId, claim) : await this.bookSlot(booking, dto.slotId!, claim);
    } catch (error) {
      // The same key sent again while the first request was running: that one has committed by now
      // (the slot or workshop lock, or the key's own unique index, made this one wait for it).
      const concurrent = claim && (await this.replay(claim).catch((lookup) => (lookup instanceof DomainError ? Promise.reject(lookup) : null)));
      if (concurrent) return concurrent;
      throw error;
    }
    return { ...this.present(view), manageToken: token, manageUrl: this.manageUrl(id, token) };
  }

  /**
   * A booking made by a staff member for someone who phoned or came in: the same engine, seats, waitlist,
   * e-mails and idempotency as online, with the consent recorded as given orally to that staff member.
   * An advisor books on their own desk's slots and on workshops, an admin anywhere (as `authorise`).
   */
  async bookFor(dto: StaffBookingDto, staff: StaffUser, idempotencyKey?: string) {
    if (staff.role === 'advisor' && dto.slotId !== undefined && dto.workshopId === undefined) {
      const slot = await this.bookings.slot(dto.slotId, this.dataSource.manager);
      if (!slot) throw new DomainError('slot_not_found', 'Ce créneau n’existe pas (ou plus).');
      if (slot.advisorId !== staff.id) throw new DomainError('forbidden', 'Ce créneau est à un autre bureau que le vôtre.');
    } else if (staff.role !== 'admin' && staff.role !== 'advisor') {
      throw new DomainError('forbidden', 'Votre rôle ne permet pas cette action.');
    }
    return this.book(dto, idempotencyKey, staff);
  }

  /** The booking a key made, with its manage token, when the key is stored for this very request. */
  private async replay(claim: IdempotencyClaim) {
    const stored = await this.idempotency.find(claim.keyHash, this.clock.now());
    if (!stored) return null;
    if (!stored.requestHash.equals(claim.requestHash)) {
      throw new DomainError(
        'idempotency_key_reused',
        'Cette clé d’idempotence a déjà servi pour une autre demande : créez-en une nouvelle pour chaque réservation.',
        [{ field: 'Idempotency-Key', message: 'Déjà utilisée pour une autre demande.' }],
      );
    }
    const view = (await this.bookings.view(stored.bookingId))!;
    const { token } = this.tokens.issue(stored.bookingId);
    return { ...this.present(view), manageToken: token, manageUrl: this.manageUrl(stored.bookingId, token) };
  }

  /**
   * One statement takes the seat and writes the booking and its messages. Cancelling a session closes
   * its slots (`bookable`), so a booking that waited for the slot lock sees the cancellation. The
   * answer is built from what the statement returned, without reading the booking again.
   */
  private async bookSlot(booking: NewBooking, slotId: string, claim: IdempotencyClaim | null): Promise<BookingView> {
    const seat = await this.bookings.book(booking, 'booking_confirmed', 'advisor_slot_booked', booking.consentAt, claim);
    if (!seat) throw await this.whyNoSeat(slotId, booking.attendeeEmail);
    return {
      booking: created(booking, { status: 'confirmed', createdAt: seat.createdAt }),
      startsAt: seat.startsAt,
      endsAt: seat.endsAt,
      timeZone: seat.timeZone,
      location: seat.location,
      sessionId: seat.sessionId,
      workshop: null,
      advisor: seat.advisorId ? { id: seat.advisorId, name: seat.advisorName! } : null,
      waitlistPosition: null,
    };
  }

  private async registerForWorkshop(booking: NewBooking, workshopId: string, claim: IdempotencyClaim | null): Promise<BookingView> {
    const registration = await this.waitlist.register(booking, workshopId, claim);
    const status = registration.outcome === 'waitlisted' ? 'waitlisted' : 'confirmed';
    return {
      booking: created({ ...booking, slotId: null }, { status, createdAt: registration.createdAt!, workshopId }),
      startsAt: registration.startsAt,
      endsAt: registration.endsAt,
      timeZone: registration.timeZone,
      location: registration.location,
      sessionId: null,
      workshop: { id: workshopId, title: registration.title },
      advisor: null,
      waitlistPosition: registration.waitlistPosition,
    };
  }

  /** Why no seat could be taken: the most useful of the reasons, for the person booking. */
  private async whyNoSeat(slotId: string, email: string, manager: EntityManager = this.dataSource.manager): Promise<DomainError> {
    const slot = await this.bookings.slot(slotId, manager);
    try {
      await this.checkBookable(slot ?? undefined, manager);
    } catch (error) {
      return error as DomainError;
    }
    if (await this.bookings.hasActiveBooking(slotId, email, manager)) {
      return new DomainError('already_booked', 'Cette adresse e-mail a déjà réservé ce créneau.');
    }
    return new DomainError('slot_full', 'Ce créneau vient d’être réservé ; choisissez-en un autre.');
  }

  async get(id: string, access: BookingAccess) {
    await this.authorise(await this.bookings.withTokenHash(id), access, ['admin', 'advisor']);
    return this.present((await this.bookings.view(id))!);
  }

  /**
   * The booking's own calendar file (METHOD:PUBLISH, to import): the same UID, SEQUENCE and times as
   * its invites; a cancelled booking's file says STATUS:CANCELLED. A waitlisted booking has no event yet.
   * Only the attendee's file carries the manage link: with it, staff could act as the attendee.
   */
  async calendarFile(id: string, access: BookingAccess): Promise<CalendarFile> {
    const booking = await this.authorise(await this.bookings.withTokenHash(id), access, ['admin', 'advisor']);
    const view = (await this.bookings.view(id))!;
    if (booking.status === 'waitlisted')
      throw new DomainError('booking_waitlisted', 'Vous êtes sur la liste d’attente : l’événement sera à ajouter une fois une place attribuée.');
    const title = view.workshop?.title ?? `Permanence de la ${this.config.identity.name}`;
    const event: FeedEvent = {
      uid: booking.icalUid,
      sequence: booking.sequence,
      startsAt: view.startsAt,
      endsAt: view.endsAt,
      timeZone: view.timeZone,
      summary: title,
      // Staff files never carry the manage link: whoever holds it can act as the attendee.
      description: [
        view.advisor ? `Avec ${view.advisor.name}.` : null,
        access.staff ? null : `${view.workshop ? 'Gérer votre inscription' : 'Gérer votre rendez-vous'} : ${this.manageUrl(id, this.tokens.issue(id).token)}`,
      ]
        .filter(Boolean)
        .join('\n'),
      location: view.location,
      cancelled: booking.status === 'cancelled',
      stamp: booking.updatedAt,
    };
    const body = buildFeed({ name: title, description: title, timeZone: view.timeZone, refreshMinutes: 60, publish: true }, [event]);
    return calendarFile(body, [event], 'personal', 'rendez-vous-cress.ics');
  }

  /**
   * Idempotent: cancelling a cancelled booking answers with the booking as it is. Leaving a workshop
   * gives the seat to the first person waiting; a waitlisted person cancelling leaves the waitlist.
   */
  async cancel(id: string, access: BookingAccess, reason?: string) {
    const found = await this.authorise(await this.bookings.withTokenHash(id), access, ['admin', 'advisor']);
    const by = access.staff ? 'staff' : 'attendee';
    if (found.workshopId) await this.waitlist.leave(found, by, reason ?? null, access.staff);
    else await this.cancelSlotBooking(found, by, reason ?? null, access.staff);
    return this.present((await this.bookings.view(id))!);
  }

  private async cancelSlotBooking(found: Booking, by: 'staff' | 'attendee', reason: string | null, staff: StaffUser | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const slots = await this.bookings.lockSlots([found.slotId!], manager);
      const booking = await this.lockUnchanged(found, manager);
      if (booking.status !== 'confirmed') return;
      const now = this.clock.now();
      await this.bookings.update(
        booking.id,
        { status: 'cancelled', cancelledAt: now, cancelledBy: by, cancelReason: reason, sequence: booking.sequence + 1, updatedAt: now },
        manager,
      );
      await this.bookings.releaseSeat(booking.slotId!, manager);
      await this.outbox.record(manager, [
        { kind: 'booking_cancelled', recipient: booking.attendeeEmail, bookingId: booking.id, payload: { by, reason } },
        ...this.advisorNotice('advisor_slot_cancelled', slots.get(booking.slotId!)!, booking.id),
      ]);
      if (staff) await this.journal.record(manager, staffCancellation(staff, booking.id, 'permanence', reason));
    });
  }

  /** Moves a slot booking to another slot atomically: the old seat is freed only if the new one is taken. */
  async reschedule(id: string, access: BookingAccess, slotId: string) {
    const found = await this.authorise(await this.bookings.withTokenHash(id), access, ['admin']);
    if (found.workshopId)
      throw new DomainError('not_reschedulable', 'Une inscription à un atelier ne se déplace pas : annulez-la et inscrivez-vous à un autre atelier.');
    if (found.slotId === slotId) throw new DomainError('same_slot', 'La réservation est déjà sur ce créneau.');
    await this.dataSource.transaction(async (manager) => {
      const slots = await this.bookings.lockSlots([found.slotId!, slotId], manager);
      const booking = await this.lockUnchanged(found, manager);
      if (booking.status !== 'confirmed') throw new DomainError('booking_cancelled', 'Cette réservation est annulée ; faites une nouvelle réservation.');
      await this.checkBookable(slots.get(slotId), manager);
      const target = slots.get(slotId)!;
      if (await this.bookings.hasActiveBooking(target.id, booking.attendeeEmail, manager)) {
        throw new DomainError('already_booked', 'Cette adresse e-mail a déjà réservé ce créneau.');
      }
      if (!(await this.bookings.takeSeat(target.id, manager))) {
        throw new DomainError('slot_full', 'Ce créneau est complet ; choisissez-en un autre.');
      }
      await this.bookings.releaseSeat(booking.slotId!, manager);
      await this.bookings.update(
        id,
        { slotId: target.id, sequence: booking.sequence + 1, attention: null, attentionAt: null, reminderSentAt: null, updatedAt: this.clock.now() },
        manager,
      );
      const previous = slots.get(booking.slotId!)!;
      await this.outbox.record(manager, [
        { kind: 'booking_rescheduled', recipient: booking.attendeeEmail, bookingId: id, payload: { previousStartsAt: previous.startsAt.toISOString() } },
        ...this.advisorNotice('advisor_slot_cancelled', previous, id),
        ...this.advisorNotice('advisor_slot_booked', target, id),
      ]);
    });
    return this.present((await this.bookings.view(id))!);
  }

  /** The slot's session, when the slot can be booked now; otherwise the reason why not. */
  private async checkBookable(slot: LockedSlot | undefined, manager: EntityManager): Promise<SessionState> {
    if (!slot) throw new DomainError('slot_not_found', 'Ce créneau n’existe pas (ou plus).');
    const session = await this.bookings.sessionState(slot.sessionId, manager);
    if (session.status === 'cancelled') {
      throw new DomainError('session_cancelled', `Cette permanence est annulée${session.statusReason ? ` (${session.statusReason})` : ''}.`);
    }
    if (slot.startsAt.getTime() <= this.clock.now().getTime()) {
      throw new DomainError('slot_in_past', 'Ce créneau est déjà commencé ou passé.');
    }
    return session;
  }

  /** Locks the booking and checks nobody moved it between the unlocked read and the slot lock. */
  private async lockUnchanged(found: Booking, manager: EntityManager): Promise<Booking> {
    const booking = await this.bookings.lock(found.id, manager);
    if (!booking) throw new DomainError('booking_not_found', 'Réservation introuvable.');
    if (booking.slotId !== found.slotId) throw new DomainError('conflict', 'La réservation vient d’être modifiée ; réessayez.');
    return booking;
  }

  /**
   * The manage token, or staff with one of `roles`: an admin for any booking, an advisor for a
   * workshop's or their own desk's (as for attendance, attendance.service.ts). Unknown booking and
   * wrong token look the same.
   */
  private async authorise(booking: Booking | null, access: BookingAccess, roles: StaffUser['role'][]): Promise<Booking> {
    if (access.staff && roles.includes(access.staff.role)) {
      if (!booking) throw new DomainError('booking_not_found', 'Réservation introuvable.');
      if (access.staff.role === 'advisor' && booking.slotId !== null && (await this.bookings.deskAdvisorId(booking.slotId)) !== access.staff.id) {
        throw new DomainError('forbidden', 'Ce rendez-vous est à un autre bureau que le vôtre.');
      }
      return booking;
    }
    if (access.staff) throw new DomainError('forbidden', 'Votre rôle ne permet pas cette action.');
    if (access.token === null) throw new DomainError('token_required', 'Le lien de gestion de la réservation (jeton) est requis.');
    if (!booking || !manageTokenMatches(booking.manageTokenHash, access.token)) {
      throw new DomainError('booking_not_found', 'Réservation introuvable, ou lien de gestion invalide.');
    }
    return booking;
  }

  /**
   * The slot's own times go with the notice: a reschedule's notice about the slot left would otherwise
   * be written, when sent, with the times of the slot the booking is on by then.
   */
  private advisorNotice(kind: 'advisor_slot_booked' | 'advisor_slot_cancelled', slot: LockedSlot, bookingId: string): OutboxEntry[] {
    const payload = { slotStartsAt: slot.startsAt.toISOString(), slotEndsAt: slot.endsAt.toISOString() };
    return slot.advisorEmail ? [{ kind, recipient: slot.advisorEmail, bookingId, payload }] : [];
  }

  private manageUrl(id: string, token: string): string {
    return manageUrl(this.config.publicUrl, id, token);
  }

  private present(view: BookingView) {
    const { booking } = view;
    const commune = booking.organisationCommuneCode ? this.territory.commune(booking.organisationCommuneCode) : null;
    return {
      id: booking.id,
      status: booking.status,
      ...(booking.status === 'waitlisted' ? { waitlistPosition: view.waitlistPosition } : {}),
      slotId: booking.slotId,
      sessionId: view.sessionId,
      workshopId: booking.workshopId,
      ...(view.workshop ? { workshopTitle: view.workshop.title } : {}),
      startsAt: view.startsAt.toISOString(),
      endsAt: view.endsAt.toISOString(),
      timeZone: view.timeZone,
      location: view.location,
      advisor: view.advisor,
      attendee: { name: booking.attendeeName, email: booking.attendeeEmail, phone: booking.attendeePhone },
      organisation: {
        name: booking.organisationName,
        siret: booking.organisationSiret,
        legalForm: booking.organisationLegalForm,
        postcode: booking.organisationPostcode,
        communeCode: booking.organisationCommuneCode,
        commune: commune?.name ?? null,
        inMetropolis: commune?.inMetropolis ?? null,
      },
      topics: booking.topics,
      message: booking.message,
      attention: booking.attention,
      promotedAt: booking.promotedAt?.toISOString() ?? null,
      cancelledAt: booking.cancelledAt?.toISOString() ?? null,
      cancelledBy: booking.cancelledBy,
      cancelReason: booking.cancelReason,
      createdAt: booking.createdAt.toISOString(),
    };
  }
}

/** The booking as just written, without reading it back. */
function created(booking: NewBooking, written: Pick<Booking, 'status' | 'createdAt'> & Partial<Booking>): Booking {
  return Object.assign(new Booking(), booking, {
    workshopId: null,
    waitlistSeq: null,
    reminderSentAt: null,
    organisationId: null,
    attendance: null,
    attendanceNote: null,
    attendanceRecordedBy: null,
    attendanceRecordedAt: null,
    promotedAt: null,
    sequence: 0,
    attention: null,
    attentionAt: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    ...written,
  });
}
