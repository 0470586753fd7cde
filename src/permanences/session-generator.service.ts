import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource, EntityManager } from 'typeorm';
import { addMonths, applyHolidayPolicy, HolidayPolicy, occurrenceDates, sessionBounds, slotLayout, todayIn } from '../calendar';
import { Clock } from '../common/clock';
import { AppConfig, ProgrammeIdentity } from '../config/app-config';
import { PermanenceSeries } from './permanence-series.entity';
import { PermanencesRepository } from './permanences.repository';
import { wall } from './wall-time';
import { SettingsService } from '../settings/settings.service';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';

/** Transaction-level advisory lock: one instance at a time extends the horizon. */
const GENERATION_LOCK = 7_262_002;

/** The programme's permanence: the last Thursday of every month, 09:00–13:00 Paris time, 60-minute slots. */
export const DEFAULT_SERIES = {
  rule: 'FREQ=MONTHLY;BYDAY=-1TH',
  timeZone: PROGRAMME_TIME_ZONE,
  startTime: '09:00',
  endTime: '13:00',
  slotMinutes: 60,
  slotCapacity: 1,
};

/** Where a session is held until an admin says: the CRESS' configured name, never a literal. */
export function locationToBeAnnounced(identity: ProgrammeIdentity): string {
  return `Lieu communiqué par la ${identity.name}`;
}

/**
 * Keeps every series' sessions generated up to the booking horizon. Idempotent (the occurrence key
 * is unique and inserts skip existing ones) and serialised across instances by an advisory lock.
 */
@Injectable()
export class SessionGenerator implements OnApplicationBootstrap {
  private readonly logger = new Logger(SessionGenerator.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly permanences: PermanencesRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureDefaultSeries();
    await this.extendHorizon();
  }

  /** The nightly run: how many sessions it generated, or null when it failed (logged; the next night tries again). */
  @Cron('0 15 3 * * *', { name: 'extend-permanence-horizon', timeZone: PROGRAMME_TIME_ZONE })
  async daily(): Promise<number | null> {
    try {
      return await this.extendHorizon();
    } catch (error) {
      this.logger.error(`Extending the permanence horizon failed: ${(error as Error).message}`);
      return null;
    }
  }

  async ensureDefaultSeries(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (await this.permanences.defaultSeries(manager)) return;
      const today = todayIn(DEFAULT_SERIES.timeZone, this.clock.now());
      const { identity } = this.config;
      const series = { ...DEFAULT_SERIES, name: `Permanence de la ${identity.name}`, location: locationToBeAnnounced(identity) };
      await this.permanences.insertDefaultSeries({ ...series, anchorDate: `${today.slice(0, 7)}-01` }, manager);
      this.logger.log(`Created the default permanence series: the last Thursday of every month, 09:00–13:00 ${PROGRAMME_TIME_ZONE}`);
    });
  }

  /** Generates every missing session from today to today + BOOKING_HORIZON_MONTHS; returns how many. */
  async extendHorizon(): Promise<number> {
    // Before the transaction: the embedded database has one connection, which the transaction holds.
    const { holidayPolicy } = await this.settings.current();
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [GENERATION_LOCK]);
      let created = 0;
      for (const series of await this.permanences.allSeries(manager)) {
        created += await this.generate(series, holidayPolicy, manager);
      }
      if (created > 0) this.logger.log(`Generated ${created} permanence session(s)`);
      return created;
    });
  }

  private async generate(series: PermanenceSeries, holidayPolicy: HolidayPolicy, manager: EntityManager): Promise<number> {
    const today = todayIn(series.timeZone, this.clock.now());
    const from = series.anchorDate > today ? series.anchorDate : today;
    const to = addMonths(today, this.config.bookingHorizonMonths);
    const start = wall(series.startTime);
    const end = wall(series.endTime);
    const advisors = await this.permanences.seriesAdvisors(series.id, manager);
    let created = 0;
    for (const occurrence of occurrenceDates(series.rule, series.anchorDate, from, to)) {
      const placed = applyHolidayPolicy(occurrence, holidayPolicy);
      const bounds = sessionBounds(placed.date, start, end, series.timeZone);
      const id = await this.permanences.insertOccurrence(
        {
          seriesId: series.id,
          occurrenceDate: occurrence,
          ...placed,
          ...bounds,
          timeZone: series.timeZone,
          location: series.location,
          slotMinutes: series.slotMinutes,
          slotCapacity: series.slotCapacity,
          overridden: false,
        },
        manager,
      );
      if (id === null) continue;
      const layout = slotLayout(placed.date, start, end, series.slotMinutes, series.timeZone);
      // One desk per advisor on duty by default, or one desk with nobody named yet.
      for (const [index, advisorId] of (advisors.length > 0 ? advisors : [null]).entries()) {
        await this.permanences.addDesk(id, index + 1, advisorId, layout, series.slotCapacity, manager);
      }
      created++;
    }
    return created;
  }
}
