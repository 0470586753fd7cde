import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { JournalService } from '../journal/journal.service';
import { AppConfig, ProgrammeIdentity } from '../config/app-config';
import { UpdateSettingsDto } from './dto/settings.dto';
import { SettingsRepository, SettingsRow } from './settings.repository';

export interface ProgrammeSettings {
  identity: ProgrammeIdentity;
  holidayPolicy: SettingsRow['holidayPolicy'];
  reminderHoursBefore: number;
  updatedAt: Date;
}

/**
 * What an admin sets on /staff/reglages: the CRESS' identity as people read it, the holiday policy
 * and the reminder delay. The database is the source; the configuration gives a fresh install its
 * first values (and the short name and the metropolis, not editable here).
 *
 * Read from the database on each use — one row by primary key — so a change made on another
 * instance shows up at once. `latest()` is the last value read, for the page layout, which renders
 * synchronously: every page request reads the row first (PageGuard).
 */
@Injectable()
export class SettingsService {
  private last: ProgrammeSettings | null = null;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly journal: JournalService,
  ) {}

  async current(): Promise<ProgrammeSettings> {
    let row = await this.settings.read();
    if (!row) {
      const { legalName, address, contactEmail, privacyEmail } = this.config.identity;
      await this.settings.seed(
        { legalName, address, contactEmail, privacyEmail, holidayPolicy: this.config.holidayPolicy, reminderHoursBefore: this.config.reminderHoursBefore },
        this.clock.now(),
      );
      row = (await this.settings.read())!;
    }
    this.last = this.of(row);
    return this.last;
  }

  async identity(): Promise<ProgrammeIdentity> {
    return (await this.current()).identity;
  }

  /** The last settings read by this instance (the configuration's before any read). */
  latest(): ProgrammeSettings {
    return (
      this.last ?? {
        identity: this.config.identity,
        holidayPolicy: this.config.holidayPolicy,
        reminderHoursBefore: this.config.reminderHoursBefore,
        updatedAt: new Date(0),
      }
    );
  }

  async view() {
    return present(await this.current());
  }

  async update(dto: UpdateSettingsDto, actor: StaffUser) {
    const before = await this.current();
    const changed = Object.keys(dto).filter((key) => dto[key as keyof UpdateSettingsDto] !== undefined);
    const row = await this.dataSource.transaction(async (manager) => {
      const updated = await this.settings.update(
        {
          legalName: dto.legalName ?? before.identity.legalName,
          address: dto.address ?? before.identity.address,
          contactEmail: dto.contactEmail ?? before.identity.contactEmail,
          privacyEmail: dto.privacyEmail ?? before.identity.privacyEmail,
          holidayPolicy: dto.holidayPolicy ?? before.holidayPolicy,
          reminderHoursBefore: dto.reminderHoursBefore ?? before.reminderHoursBefore,
        },
        this.clock.now(),
        manager,
      );
      await this.journal.record(manager, { actor, action: 'settings.updated', summary: `Réglages modifiés (${changed.join(', ')})`, details: { changed } });
      return updated;
    });
    this.last = this.of(row);
    return present(this.last);
  }

  private of(row: SettingsRow): ProgrammeSettings {
    return {
      identity: { ...this.config.identity, legalName: row.legalName, address: row.address, contactEmail: row.contactEmail, privacyEmail: row.privacyEmail },
      holidayPolicy: row.holidayPolicy,
      reminderHoursBefore: row.reminderHoursBefore,
      updatedAt: row.updatedAt,
    };
  }
}

function present(settings: ProgrammeSettings) {
  return {
    ...settings.identity,
    holidayPolicy: settings.holidayPolicy,
    reminderHoursBefore: settings.reminderHoursBefore,
    updatedAt: settings.updatedAt.toISOString(),
  };
}
