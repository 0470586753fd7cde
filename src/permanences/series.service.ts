import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UsersRepository } from '../auth/users.repository';
import { BookingsRepository } from '../bookings/bookings.repository';
import { sessionBounds, slotLayout } from '../calendar';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { JournalService } from '../journal/journal.service';
import { DomainError } from '../common/domain-error';
import { OutboxRepository } from '../outbox/outbox.repository';
import { UpdateSeriesDto } from './dto/permanence.dto';
import { PermanenceSeries } from './permanence-series.entity';
import { PermanencesRepository } from './permanences.repository';
import { notices } from './session-exceptions.service';
import { wall } from './wall-time';

@Injectable()
export class SeriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly permanences: PermanencesRepository,
    private readonly bookings: BookingsRepository,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly journal: JournalService,
    private readonly users: UsersRepository,
  ) {}

  async list() {
    const all = await this.permanences.allSeries();
    return Promise.all(all.map(async (series) => present(series, await this.permanences.seriesAdvisors(series.id))));
  }

  /**
   * Edits the series and applies it to its sessions to come that no admin changed by hand. A new
   * location reaches every such session (its attendees are to be told); new times or slot length
   * reshape only sessions without bookings, and the others are listed so the admin can act on them.
   */
  async update(id: string, dto: UpdateSeriesDto, actor: StaffUser) {
    return this.dataSource.transaction(async (manager) => {
      const series = await this.permanences.lockSeries(id, manager);
      if (!series) throw new DomainError('series_not_found', 'Cette série de permanences n’existe pas.');
      const next = {
        name: dto.name ?? series.name,
        startTime: dto.startTime ?? wall(series.startTime),
        endTime: dto.endTime ?? wall(series.endTime),
        slotMinutes: dto.slotMinutes ?? series.slotMinutes,
        location: dto.location ?? series.location,
      };
      if (next.endTime <= next.startTime) {
        throw new DomainError('validation_failed', 'L’heure de fin doit suivre l’heure de début.', [
          { field: 'endTime', message: 'Doit être après startTime.' },
        ]);
      }
      const reshaped = next.startTime !== wall(series.startTime) || next.endTime !== wall(series.endTime) || next.slotMinutes !== series.slotMinutes;
      const relocated = next.location !== series.location;
      if (dto.advisorIds !== undefined) {
        const found = await this.users.activeAdvisors(dto.advisorIds, manager);
        if (found.length !== dto.advisorIds.length) {
          throw new DomainError('advisor_invalid', 'Chaque conseiller doit être un compte actif de rôle advisor ou admin.', [
            { field: 'advisorIds', message: 'Compte inconnu, désactivé ou sans rôle de conseiller.' },
          ]);
        }
        await this.permanences.replaceSeriesAdvisors(id, dto.advisorIds, manager);
      }

      const now = this.clock.now();
      await this.permanences.updateSeries(id, { ...next, updatedAt: now }, manager);

      const skipped: Array<{ id: string; date: string; bookings: number }> = [];
      let updated = 0;
      const sessions = reshaped || relocated ? await this.permanences.futureSeriesSessions(id, now, manager) : [];
      for (const session of sessions) {
        const slots = await this.permanences.lockSlotsOfSession(session.id, manager);
        const booked = slots.reduce((sum, slot) => sum + slot.booked, 0);
        if (reshaped && booked > 0) skipped.push({ id: session.id, date: session.date, bookings: booked });
        if (reshaped && booked === 0) {
          const layout = slotLayout(session.date, next.startTime, next.endTime, next.slotMinutes, session.timeZone);
          for (const desk of await this.permanences.desksOf(session.id, manager)) {
            await this.permanences.replaceDeskSlots(session.id, desk.id, layout, session.slotCapacity, manager);
          }
          const bounds = sessionBounds(session.date, next.startTime, next.endTime, session.timeZone);
          await this.permanences.updateSession(session.id, { ...bounds, slotMinutes: next.slotMinutes, updatedAt: now }, manager);
        }
        if (relocated) {
          await this.permanences.updateSession(session.id, { location: next.location, updatedAt: now }, manager);
          const affected = await this.bookings.markSessionChanged(session.id, 'session_changed', now, manager);
          await this.outbox.record(manager, notices(affected, 'session_changed', 'session_changed', { location: next.location }));
        }
        if (relocated || booked === 0) updated++;
      }
      await this.journal.record(manager, {
        actor,
        action: 'series.updated',
        subject: { type: 'series', id },
        summary: `Série « ${next.name} » modifiée : ${updated} permanence(s) à venir mise(s) à jour, ${skipped.length} laissée(s) telle(s) quelle(s) (réservations)`,
        details: {
          changed: Object.keys(dto).filter((key) => dto[key as keyof UpdateSeriesDto] !== undefined),
          updatedSessions: updated,
          skippedSessions: skipped.length,
        },
      });
      const saved = (await this.permanences.lockSeries(id, manager))!;
      return { series: present(saved, await this.permanences.seriesAdvisors(id, manager)), updatedSessions: updated, skippedSessions: skipped };
    });
  }
}

function present(series: PermanenceSeries, advisorIds: string[]) {
  return {
    id: series.id,
    name: series.name,
    rule: series.rule,
    timeZone: series.timeZone,
    startTime: wall(series.startTime),
    endTime: wall(series.endTime),
    slotMinutes: series.slotMinutes,
    slotCapacity: series.slotCapacity,
    location: series.location,
    isDefault: series.isDefault,
    advisorIds,
  };
}
