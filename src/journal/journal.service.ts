import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { addDays, wallTimeToInstant } from '../calendar';
import { AppConfig } from '../config/app-config';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { JournalQuery } from './dto/journal.dto';
import { JOURNAL_ACTIONS, JournalAction } from './journal-actions';
import { JournalFilter, JournalRepository, JournalRow } from './journal.repository';

export interface JournalEntry {
  /** Who did it; null for the service itself (first start, nightly jobs). */
  actor: Pick<StaffUser, 'id'> | null;
  action: JournalAction;
  subject?: { type: string; id: string | null };
  /** One short French sentence for the journal page. Never an address that may be erased later. */
  summary: string;
  details?: Record<string, unknown>;
  /** The entry names someone outside the team (an attendee): deleted after RETENTION_MONTHS. */
  namesPerson?: boolean;
}

export const JOURNAL_PAGE_SIZE = 50;

/**
 * The journal of staff actions. `record` takes the action's own transaction manager, so an entry
 * exists exactly when the action was committed:
 *
 *   await this.dataSource.transaction(async (manager) => {
 *     …the change…
 *     await this.journal.record(manager, { actor: staff, action: 'session.cancelled', subject: { type: 'session', id }, summary: '…' });
 *   });
 */
@Injectable()
export class JournalService {
  constructor(
    private readonly repository: JournalRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  record(manager: EntityManager, entry: JournalEntry): Promise<void> {
    return this.repository.insert(manager, {
      actorId: entry.actor?.id ?? null,
      action: entry.action,
      subjectType: entry.subject?.type ?? null,
      subjectId: entry.subject?.id ?? null,
      summary: entry.summary,
      details: entry.details ?? {},
      namesPerson: entry.namesPerson ?? false,
      at: this.clock.now(),
    });
  }

  /** One page (from 1) of entries between two local dates (inclusive, Paris time), newest first. */
  async list(query: JournalQuery): Promise<{ entries: Array<JournalRow & { actionLabel: string }>; page: number; hasNext: boolean }> {
    if (query.from && query.to && query.from > query.to) {
      throw new DomainError('validation_failed', 'Certains champs sont invalides.', [
        { field: 'to', message: 'La fin de la période doit être après son début.' },
      ]);
    }
    const page = query.page ?? 1;
    const filter: JournalFilter = {
      from: query.from ? wallTimeToInstant(query.from, '00:00', PROGRAMME_TIME_ZONE) : undefined,
      before: query.to ? wallTimeToInstant(addDays(query.to, 1), '00:00', PROGRAMME_TIME_ZONE) : undefined,
      action: query.action,
    };
    const rows = await this.repository.page(filter, JOURNAL_PAGE_SIZE + 1, (page - 1) * JOURNAL_PAGE_SIZE);
    return {
      entries: rows.slice(0, JOURNAL_PAGE_SIZE).map((row) => ({ ...row, actionLabel: JOURNAL_ACTIONS[row.action] ?? row.action })),
      page,
      hasNext: rows.length > JOURNAL_PAGE_SIZE,
    };
  }

  /** Entries naming an attendee, past the retention period (run with the nightly anonymisation). */
  purgeExpired(): Promise<number> {
    const before = DateTime.fromJSDate(this.clock.now()).minus({ months: this.config.retentionMonths }).toJSDate();
    return this.repository.purgeNamingPeopleBefore(before);
  }
}
