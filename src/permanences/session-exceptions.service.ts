import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UsersRepository } from '../auth/users.repository';
import { AffectedBooking, BookingsRepository } from '../bookings/bookings.repository';
import { CalendarError, instantToLocal, isLocalDate, sessionBounds, slotLayout, todayIn } from '../calendar';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DomainError, FieldError } from '../common/domain-error';
import { OutboxKind } from '../outbox/outbox-message.entity';
import { OutboxEntry, OutboxRepository } from '../outbox/outbox.repository';
import { JournalService } from '../journal/journal.service';
import { CreateSessionDto } from './dto/permanence.dto';
import { PermanenceSession } from './permanence-session.entity';
import { PermanencesRepository } from './permanences.repository';
import { PermanencesService } from './permanences.service';
import { locationToBeAnnounced } from './session-generator.service';
import { wall, wallRange } from './wall-time';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';

/** An admin's exceptions to the series: cancel, move, add a session, staff it with advisors. */
const PAST_DATE: FieldError = { field: 'date', message: 'Choisissez aujourd’hui ou une date à venir.' };

@Injectable()
export class SessionExceptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly permanences: PermanencesRepository,
    private readonly listing: PermanencesService,
    private readonly bookings: BookingsRepository,
    private readonly users: UsersRepository,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly journal: JournalService,
  ) {}

  /** Cancels the session and every booking on it; idempotent. Each attendee and advisor is to be told. */
  async cancel(id: string, reason: string, actor: StaffUser) {
    await this.dataSource.transaction(async (manager) => {
      const session = await this.lockFutureSession(id, manager, { allowCancelled: true });
      if (session.status === 'cancelled') return;
      await this.permanences.lockSlotsOfSession(id, manager);
      const now = this.clock.now();
      await this.permanences.updateSession(id, { status: 'cancelled', statusReason: reason, overridden: true, updatedAt: now }, manager);
      const affected = await this.bookings.cancelAllOfSession(id, reason, now, manager);
      await this.outbox.record(manager, notices(affected, 'session_cancelled', 'advisor_slot_cancelled', { reason }));
      await this.journal.record(manager, {
        actor,
        action: 'session.cancelled',
        subject: { type: 'session', id },
        summary: `Permanence du ${frenchDate(session.date)} annulée (${affected.length} réservation${affected.length > 1 ? 's annulées' : ' annulée'}) : ${reason}`,
        details: { date: session.date, reason, cancelledBookings: affected.length },
      });
    });
    return this.listing.get(id);
  }

  /** Moves the session to another date at the same wall-clock times; its bookings follow it. */
  async move(id: string, date: string, actor: StaffUser, reason?: string) {
    await this.dataSource.transaction(async (manager) => {
      const session = await this.lockFutureSession(id, manager);
      if (date === session.date) {
        throw new DomainError('validation_failed', 'La permanence a déjà lieu à cette date.', [{ field: 'date', message: 'Choisissez une autre date.' }]);
      }
      this.requireNotPast(date, session.timeZone);
      const bounds = this.shift(session, date, session);
      for (const slot of await this.permanences.lockSlotsOfSession(id, manager)) {
        await this.permanences.moveSlot(slot.id, this.shift(session, date, slot), manager);
      }
      await this.permanences.updateSession(
        id,
        { date, originalDate: session.originalDate ?? session.date, ...bounds, statusReason: reason ?? null, overridden: true, updatedAt: this.clock.now() },
        manager,
      );
      const affected = await this.bookings.markSessionChanged(id, 'session_moved', this.clock.now(), manager);
      await this.outbox.record(manager, notices(affected, 'session_moved', 'session_moved', { previousDate: session.date, date, reason: reason ?? null }));
      await this.journal.record(manager, {
        actor,
        action: 'session.moved',
        subject: { type: 'session', id },
        summary: `Permanence du ${frenchDate(session.date)} déplacée au ${frenchDate(date)}${reason ? ` : ${reason}` : ''}`,
        details: { previousDate: session.date, date, reason: reason ?? null, affectedBookings: affected.length },
      });
    });
    return this.listing.get(id);
  }

  /** An extra session outside the series, with the default series' times unless given. */
  async add(dto: CreateSessionDto, actor: StaffUser) {
    const id = await this.dataSource.transaction(async (manager) => {
      const series = await this.permanences.defaultSeries(manager);
      const zone = series?.timeZone ?? PROGRAMME_TIME_ZONE;
      const start = dto.startTime ?? wall(series?.startTime ?? '09:00');
      const end = dto.endTime ?? wall(series?.endTime ?? '13:00');
      const slotMinutes = dto.slotMinutes ?? series?.slotMinutes ?? 60;
      // Every check before the first refusal, so the form shows all its errors at once.
      const errors: FieldError[] = [];
      if (this.isPast(dto.date, zone)) errors.push(PAST_DATE);
      if (end <= start) errors.push({ field: 'endTime', message: 'Doit être après startTime.' });
      const layout = end > start ? slotLayout(dto.date, start, end, slotMinutes, zone) : [];
      if (end > start && layout.length === 0) errors.push({ field: 'slotMinutes', message: 'Plus long que la permanence.' });
      if (errors.length > 0) {
        const detail =
          errors.length > 1
            ? 'Certains champs sont invalides.'
            : errors[0] === PAST_DATE
              ? 'La date est passée.'
              : errors[0].field === 'endTime'
                ? 'L’heure de fin doit suivre l’heure de début.'
                : 'La plage horaire ne contient aucun créneau entier.';
        throw new DomainError('validation_failed', detail, errors);
      }
      const capacity = series?.slotCapacity ?? 1;
      const sessionId = await this.permanences.insertSession(
        {
          seriesId: null,
          occurrenceDate: null,
          date: dto.date,
          originalDate: null,
          ...sessionBounds(dto.date, start, end, zone),
          timeZone: zone,
          location: dto.location ?? series?.location ?? locationToBeAnnounced(this.config.identity),
          slotMinutes,
          slotCapacity: capacity,
          status: 'scheduled',
          statusReason: null,
          overridden: true,
        },
        manager,
      );
      const advisorIds = await this.checkAdvisors(dto.advisorIds ?? [], manager);
      const desks = advisorIds.length > 0 ? advisorIds : [null];
      for (const [index, advisorId] of desks.entries()) {
        await this.permanences.addDesk(sessionId, index + 1, advisorId, layout, capacity, manager);
      }
      await this.journal.record(manager, {
        actor,
        action: 'session.added',
        subject: { type: 'session', id: sessionId },
        summary: `Permanence exceptionnelle ajoutée le ${frenchDate(dto.date)}, ${start}–${end}`,
        details: { date: dto.date, startTime: start, endTime: end, advisors: advisorIds.length },
      });
      return sessionId;
    });
    return this.listing.get(id);
  }

  /**
   * One desk per advisor. Desks of advisors who stay keep their bookings; a desk whose advisor
   * leaves goes to a newcomer, or is removed if it holds no booking (else 422, nobody is dropped).
   */
  async staff(id: string, advisorIds: string[], actor: StaffUser) {
    await this.dataSource.transaction(async (manager) => {
      const session = await this.lockFutureSession(id, manager);
      await this.checkAdvisors(advisorIds, manager);
      await this.permanences.lockSlotsOfSession(id, manager);
      const desks = await this.permanences.desksOf(id, manager);
      const staying = new Set(advisorIds);
      const kept = desks.filter((desk) => desk.advisorId !== null && staying.has(desk.advisorId));
      const keptAdvisors = new Set(kept.map((desk) => desk.advisorId));
      const free = desks.filter((desk) => !kept.includes(desk)).sort((a, b) => b.activeBookings - a.activeBookings || a.position - b.position);
      // With no advisor named, the session keeps one desk without a named advisor.
      const newcomers: Array<string | null> = advisorIds.length > 0 ? advisorIds.filter((advisorId) => !keptAdvisors.has(advisorId)) : [null];
      let position = Math.max(0, ...desks.map((desk) => desk.position));
      const { start, end } = wallRange(session, session.timeZone);
      const layout = slotLayout(session.date, start, end, session.slotMinutes, session.timeZone);
      for (const advisorId of newcomers) {
        const desk = free.shift();
        if (desk) await this.permanences.assignDesk(desk.id, advisorId, manager);
        else await this.permanences.addDesk(id, ++position, advisorId, layout, session.slotCapacity, manager);
      }
      for (const desk of free) {
        if (desk.activeBookings > 0) {
          throw new DomainError(
            'desk_has_bookings',
            'Un conseiller retiré a encore des rendez-vous : annulez-les ou confiez son bureau à un autre conseiller.',
          );
        }
        await this.permanences.removeDesk(desk.id, manager);
      }
      await this.journal.record(manager, {
        actor,
        action: 'session.staffed',
        subject: { type: 'session', id },
        summary: `Conseillers de la permanence du ${frenchDate(session.date)} : ${advisorIds.length} conseiller${advisorIds.length > 1 ? 's' : ''}`,
        details: { advisorIds },
      });
    });
    return this.listing.get(id);
  }

  private async lockFutureSession(id: string, manager: EntityManager, options: { allowCancelled?: boolean } = {}): Promise<PermanenceSession> {
    const session = await this.permanences.lockSession(id, manager);
    if (!session) throw new DomainError('session_not_found', 'Cette permanence n’existe pas.');
    if (session.status === 'cancelled' && !options.allowCancelled) {
      throw new DomainError('session_cancelled', 'Cette permanence est annulée.');
    }
    if (session.endsAt.getTime() <= this.clock.now().getTime()) {
      throw new DomainError('session_in_past', 'Cette permanence est déjà passée.');
    }
    return session;
  }

  private requireNotPast(date: string, zone: string): void {
    if (this.isPast(date, zone)) throw new DomainError('validation_failed', 'La date est passée.', [PAST_DATE]);
  }

  private isPast(date: string, zone: string): boolean {
    return !isLocalDate(date) || date < todayIn(zone, this.clock.now());
  }

  /** The same wall-clock times as `range`, on `date`, in the session's zone. */
  /** The same wall-clock times on `date`, placed as sessionBounds does across a clock change. */
  private shift(session: PermanenceSession, date: string, range: { startsAt: Date; endsAt: Date }) {
    const zone = session.timeZone;
    try {
      return sessionBounds(date, instantToLocal(range.startsAt, zone).time, instantToLocal(range.endsAt, zone).time, zone);
    } catch (error) {
      if (!(error instanceof CalendarError)) throw error;
      const message = 'Le changement d’heure de cette date supprime ces horaires : choisissez une autre date.';
      throw new DomainError('validation_failed', message, [{ field: 'date', message }]);
    }
  }

  private async checkAdvisors(advisorIds: string[], manager: EntityManager): Promise<string[]> {
    const found = await this.users.activeAdvisors(advisorIds, manager);
    if (found.length !== advisorIds.length) {
      throw new DomainError('advisor_invalid', 'Chaque conseiller doit être un compte actif de rôle advisor ou admin.', [
        { field: 'advisorIds', message: 'Compte inconnu, désactivé ou sans rôle de conseiller.' },
      ]);
    }
    return advisorIds;
  }
}

/** One message to each attendee and one to the advisor of each affected desk. */
export function notices(affected: AffectedBooking[], attendeeKind: OutboxKind, advisorKind: OutboxKind, payload: OutboxEntry['payload']): OutboxEntry[] {
  return affected.flatMap((booking) => [
    { kind: attendeeKind, recipient: booking.attendeeEmail, bookingId: booking.id, payload },
    ...(booking.advisorEmail ? [{ kind: advisorKind, recipient: booking.advisorEmail, bookingId: booking.id, payload }] : []),
  ]);
}

/** 2026-12-31 as 31/12/2026, for the journal's sentences. */
function frenchDate(date: string): string {
  return date.split('-').reverse().join('/');
}
