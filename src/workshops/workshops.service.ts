import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WaitlistRepository } from '../bookings/waitlist.repository';
import { WaitlistService } from '../bookings/waitlist.service';
import { addDays, addMonths, todayIn, wallTimeToInstant } from '../calendar';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { JournalService } from '../journal/journal.service';
import { DomainError, FieldError } from '../common/domain-error';
import { checkPeriod } from '../common/period';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { CreateWorkshopDto, UpdateWorkshopDto } from './dto/workshop.dto';
import { Workshop } from '../bookings/workshop.entity';
import { WorkshopsRepository } from './workshops.repository';

const MAX_RANGE_MONTHS = 24;

@Injectable()
export class WorkshopsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workshops: WorkshopsRepository,
    private readonly waitlist: WaitlistService,
    private readonly registrations: WaitlistRepository,
    private readonly clock: Clock,
    private readonly journal: JournalService,
  ) {}

  /** Workshops whose start falls on a local date in [from, to] (Paris), with seats left and the waitlist. */
  async list(from?: string, to?: string) {
    const start = from ?? todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const end = to ?? addMonths(start, 12);
    checkPeriod(start, end, addMonths(start, MAX_RANGE_MONTHS), `${MAX_RANGE_MONTHS} mois`);
    const workshops = await this.workshops.between(
      wallTimeToInstant(start, '00:00', PROGRAMME_TIME_ZONE),
      wallTimeToInstant(addDays(end, 1), '00:00', PROGRAMME_TIME_ZONE),
    );
    return workshops.map((workshop) => this.present(workshop));
  }

  async get(id: string) {
    return this.present(await this.find(id));
  }

  async create(dto: CreateWorkshopDto) {
    const startsAt = new Date(dto.startsAt);
    const values = {
      title: dto.title,
      description: dto.description ?? '',
      startsAt,
      endsAt: new Date(dto.endsAt),
      timeZone: PROGRAMME_TIME_ZONE,
      location: dto.location,
      capacity: dto.capacity,
      confirmed: 0,
      waitlisted: 0,
      waitlistEnabled: dto.waitlistEnabled ?? true,
      registrationOpensAt: dto.registrationOpensAt ? new Date(dto.registrationOpensAt) : null,
      registrationClosesAt: dto.registrationClosesAt ? new Date(dto.registrationClosesAt) : startsAt,
      organisationLimit: dto.organisationLimit ?? null,
      status: 'scheduled' as const,
      cancelReason: null,
    };
    // One answer with every error: a start in the past and times out of order together.
    const now = this.clock.now();
    const past: FieldError[] = startsAt.getTime() <= now.getTime() ? [{ field: 'startsAt', message: 'Doit être dans le futur.' }] : [];
    checkTimes(values, past);
    return this.get(await this.workshops.insert({ ...values, updatedAt: now }));
  }

  /**
   * Edits a workshop under its row lock. A new capacity promotes from the waitlist or is refused below
   * the confirmed; a new time or place marks the confirmed bookings so their holders are told.
   */
  async update(id: string, dto: UpdateWorkshopDto) {
    await this.dataSource.transaction(async (manager) => {
      const workshop = await this.registrations.lockWorkshop(id, manager);
      if (!workshop) throw new DomainError('workshop_not_found', 'Cet atelier n’existe pas.');
      if (workshop.status === 'cancelled') throw new DomainError('workshop_cancelled', 'Cet atelier est annulé.');
      const next = {
        title: dto.title ?? workshop.title,
        description: dto.description ?? workshop.description,
        startsAt: dto.startsAt ? new Date(dto.startsAt) : workshop.startsAt,
        endsAt: dto.endsAt ? new Date(dto.endsAt) : workshop.endsAt,
        location: dto.location ?? workshop.location,
        waitlistEnabled: dto.waitlistEnabled ?? workshop.waitlistEnabled,
        registrationOpensAt:
          dto.registrationOpensAt === undefined ? workshop.registrationOpensAt : dto.registrationOpensAt ? new Date(dto.registrationOpensAt) : null,
        registrationClosesAt: dto.registrationClosesAt
          ? new Date(dto.registrationClosesAt)
          : dto.startsAt
            ? new Date(dto.startsAt)
            : workshop.registrationClosesAt,
        organisationLimit: dto.organisationLimit === undefined ? workshop.organisationLimit : dto.organisationLimit,
      };
      checkTimes(next);
      await this.workshops.update(id, { ...next, updatedAt: this.clock.now() }, manager);
      if (dto.capacity !== undefined && dto.capacity !== null && dto.capacity !== workshop.capacity) {
        await this.waitlist.changeCapacity(workshop, dto.capacity, manager);
      }
      const moved =
        next.startsAt.getTime() !== workshop.startsAt.getTime() || next.endsAt.getTime() !== workshop.endsAt.getTime() || next.location !== workshop.location;
      if (moved) await this.waitlist.markChanged(workshop, manager);
    });
    return this.get(id);
  }

  /** Cancels the workshop and every registration on it, with the reason; idempotent. */
  async cancel(id: string, reason: string, actor: StaffUser) {
    await this.dataSource.transaction(async (manager) => {
      const workshop = await this.registrations.lockWorkshop(id, manager);
      if (!workshop) throw new DomainError('workshop_not_found', 'Cet atelier n’existe pas.');
      if (workshop.status === 'cancelled') return;
      await this.workshops.update(id, { status: 'cancelled', cancelReason: reason, updatedAt: this.clock.now() }, manager);
      await this.waitlist.cancelAll(workshop, reason, manager);
      await this.journal.record(manager, {
        actor,
        action: 'workshop.cancelled',
        subject: { type: 'workshop', id },
        summary: `Atelier « ${workshop.title} » annulé : ${reason}`,
        details: { reason },
      });
    });
    return this.get(id);
  }

  /** Confirmed registrations, then the waitlist in order, for the staff. */
  async registrationsOf(id: string) {
    await this.find(id);
    return this.registrations.registrations(id);
  }

  /** One live registration (confirmed or waiting) of the workshop: another booking's id is not found here. */
  async registration(id: string, bookingId: string) {
    const registration = (await this.registrationsOf(id)).find((candidate) => candidate.id === bookingId);
    if (!registration) throw new DomainError('booking_not_found', 'Cette inscription n’existe pas, ou elle est déjà annulée.');
    return registration;
  }

  private async find(id: string): Promise<Workshop> {
    const workshop = await this.workshops.byId(id);
    if (!workshop) throw new DomainError('workshop_not_found', 'Cet atelier n’existe pas.');
    return workshop;
  }

  private present(workshop: Workshop) {
    const now = this.clock.now().getTime();
    const open = (workshop.registrationOpensAt === null || workshop.registrationOpensAt.getTime() <= now) && now < workshop.registrationClosesAt.getTime();
    const status = workshop.status === 'cancelled' ? 'cancelled' : !open ? 'closed' : workshop.confirmed >= workshop.capacity ? 'full' : 'open';
    return {
      id: workshop.id,
      title: workshop.title,
      description: workshop.description,
      startsAt: workshop.startsAt.toISOString(),
      endsAt: workshop.endsAt.toISOString(),
      timeZone: workshop.timeZone,
      location: workshop.location,
      capacity: workshop.capacity,
      available: workshop.status === 'cancelled' ? 0 : workshop.capacity - workshop.confirmed,
      waitlisted: workshop.waitlisted,
      waitlistEnabled: workshop.waitlistEnabled,
      registrationOpensAt: workshop.registrationOpensAt?.toISOString() ?? null,
      registrationClosesAt: workshop.registrationClosesAt.toISOString(),
      organisationLimit: workshop.organisationLimit,
      status,
      ...(workshop.cancelReason ? { statusReason: workshop.cancelReason } : {}),
    };
  }
}

/** The end follows the start; registration closes no later than the end, and opens before it closes. */
function checkTimes(times: { startsAt: Date; endsAt: Date; registrationOpensAt: Date | null; registrationClosesAt: Date }, found: FieldError[] = []): void {
  const errors: FieldError[] = [...found];
  if (times.endsAt <= times.startsAt) errors.push({ field: 'endsAt', message: 'Doit être après startsAt.' });
  if (times.registrationClosesAt > times.endsAt) errors.push({ field: 'registrationClosesAt', message: 'Doit être au plus tard à la fin de l’atelier.' });
  if (times.registrationOpensAt && times.registrationOpensAt >= times.registrationClosesAt) {
    errors.push({ field: 'registrationOpensAt', message: 'Doit être avant la clôture des inscriptions.' });
  }
  if (errors.length > 0)
    throw new DomainError(
      'validation_failed',
      found.length > 0 && errors.length === found.length ? 'Un atelier se crée dans le futur.' : 'Les dates de l’atelier sont incohérentes.',
      errors,
    );
}
