import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TimeRange } from '../calendar';
import { Desk } from './desk.entity';
import { PermanenceSeries } from './permanence-series.entity';
import { PermanenceSession } from './permanence-session.entity';
import { Slot } from './slot.entity';

export interface ListedSlot {
  id: string;
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  booked: number;
  advisorId: string | null;
  advisorName: string | null;
}

export interface DeskState {
  id: string;
  position: number;
  advisorId: string | null;
  activeBookings: number;
}

type NewSession = Omit<PermanenceSession, 'id' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class PermanencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  defaultSeries(manager: EntityManager = this.dataSource.manager): Promise<PermanenceSeries | null> {
    return manager.findOneBy(PermanenceSeries, { isDefault: true });
  }

  allSeries(manager: EntityManager = this.dataSource.manager): Promise<PermanenceSeries[]> {
    return manager.find(PermanenceSeries, { order: { createdAt: 'ASC' } });
  }

  /** Creates the default series unless one exists; several instances may try at once. */
  async insertDefaultSeries(values: Omit<PermanenceSeries, 'id' | 'isDefault' | 'createdAt' | 'updatedAt'>, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO permanence_series (name, rule, anchor_date, time_zone, start_time, end_time, slot_minutes, slot_capacity, location, is_default)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)
       ON CONFLICT (is_default) WHERE is_default DO NOTHING`,
      [
        values.name,
        values.rule,
        values.anchorDate,
        values.timeZone,
        values.startTime,
        values.endTime,
        values.slotMinutes,
        values.slotCapacity,
        values.location,
      ],
    );
  }

  lockSeries(id: string, manager: EntityManager): Promise<PermanenceSeries | null> {
    return manager.createQueryBuilder(PermanenceSeries, 's').where('s.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** Row changes carry the injected Clock's time as updated_at: TypeORM would otherwise write PostgreSQL's CURRENT_TIMESTAMP, and updated_at is the calendar's DTSTAMP. */
  async updateSeries(id: string, changes: Partial<PermanenceSeries> & Pick<PermanenceSeries, 'updatedAt'>, manager: EntityManager): Promise<void> {
    await manager.update(PermanenceSeries, { id }, changes);
  }

  /** Inserts a session generated from a series; null when that occurrence already exists. */
  async insertOccurrence(session: NewSession, manager: EntityManager): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO permanence_sessions
         (series_id, occurrence_date, date, original_date, starts_at, ends_at, time_zone, location, slot_minutes, slot_capacity, status, status_reason, overridden)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (series_id, occurrence_date) DO NOTHING RETURNING id`,
      [
        session.seriesId,
        session.occurrenceDate,
        session.date,
        session.originalDate,
        session.startsAt,
        session.endsAt,
        session.timeZone,
        session.location,
        session.slotMinutes,
        session.slotCapacity,
        session.status,
        session.statusReason,
        session.overridden,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async insertSession(session: NewSession, manager: EntityManager): Promise<string> {
    const result = await manager.insert(PermanenceSession, session);
    return result.identifiers[0].id as string;
  }

  /** The advisors on duty by default at the series' sessions, in order; accounts no longer active or advisors are left out. */
  async seriesAdvisors(seriesId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT sa.advisor_id AS id FROM series_advisors sa JOIN users u ON u.id = sa.advisor_id
        WHERE sa.series_id = $1 AND u.active AND u.role IN ('advisor', 'admin') ORDER BY sa.position`,
      [seriesId],
    );
    return rows.map((row) => row.id);
  }

  async replaceSeriesAdvisors(seriesId: string, advisorIds: string[], manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM series_advisors WHERE series_id = $1`, [seriesId]);
    await manager.query(
      `INSERT INTO series_advisors (series_id, advisor_id, position) SELECT $1, id, position FROM unnest($2::uuid[]) WITH ORDINALITY AS chosen (id, position)`,
      [seriesId, advisorIds],
    );
  }

  /** A desk with its slots laid out; the slots take the session's seat capacity. */
  async addDesk(sessionId: string, position: number, advisorId: string | null, layout: TimeRange[], capacity: number, manager: EntityManager): Promise<string> {
    const result = await manager.insert(Desk, { sessionId, position, advisorId });
    const deskId = result.identifiers[0].id as string;
    await this.insertSlots(sessionId, deskId, layout, capacity, manager);
    return deskId;
  }

  async replaceDeskSlots(sessionId: string, deskId: string, layout: TimeRange[], capacity: number, manager: EntityManager): Promise<void> {
    await manager.delete(Slot, { deskId });
    await this.insertSlots(sessionId, deskId, layout, capacity, manager);
  }

  /** The slots of a cancelled session are created closed to booking. */
  private async insertSlots(sessionId: string, deskId: string, layout: TimeRange[], capacity: number, manager: EntityManager): Promise<void> {
    if (layout.length === 0) return;
    await manager.query(
      `INSERT INTO slots (session_id, desk_id, starts_at, ends_at, capacity, bookable)
       SELECT s.id, $2, r.starts_at, r.ends_at, $3, s.status = 'scheduled'
       FROM permanence_sessions s, unnest($4::timestamptz[], $5::timestamptz[]) AS r(starts_at, ends_at)
       WHERE s.id = $1`,
      [sessionId, deskId, capacity, layout.map((range) => range.startsAt), layout.map((range) => range.endsAt)],
    );
  }

  lockSession(id: string, manager: EntityManager): Promise<PermanenceSession | null> {
    return manager.createQueryBuilder(PermanenceSession, 's').where('s.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** As updateSeries: updated_at from the injected Clock. */
  async updateSession(id: string, changes: Partial<PermanenceSession> & Pick<PermanenceSession, 'updatedAt'>, manager: EntityManager): Promise<void> {
    await manager.update(PermanenceSession, { id }, changes);
  }

  /** Every slot of the session, locked in id order (the booking engine's lock order). */
  lockSlotsOfSession(sessionId: string, manager: EntityManager): Promise<Slot[]> {
    return manager.query(
      `SELECT id, desk_id AS "deskId", starts_at AS "startsAt", ends_at AS "endsAt", capacity, booked
       FROM slots WHERE session_id = $1 ORDER BY id FOR UPDATE`,
      [sessionId],
    );
  }

  async moveSlot(slotId: string, range: TimeRange, manager: EntityManager): Promise<void> {
    await manager.update(Slot, { id: slotId }, { startsAt: range.startsAt, endsAt: range.endsAt });
  }

  async desksOf(sessionId: string, manager: EntityManager): Promise<DeskState[]> {
    const rows: DeskState[] = await manager.query(
      `SELECT d.id, d.position, d.advisor_id AS "advisorId", COALESCE(SUM(sl.booked), 0)::int AS "activeBookings"
       FROM desks d LEFT JOIN slots sl ON sl.desk_id = d.id
       WHERE d.session_id = $1 GROUP BY d.id ORDER BY d.position`,
      [sessionId],
    );
    return rows;
  }

  async assignDesk(deskId: string, advisorId: string | null, manager: EntityManager): Promise<void> {
    await manager.update(Desk, { id: deskId }, { advisorId });
  }

  async removeDesk(deskId: string, manager: EntityManager): Promise<void> {
    await manager.delete(Desk, { id: deskId });
  }

  /** Sessions of the series still to come that no admin has cancelled or moved by hand. */
  futureSeriesSessions(seriesId: string, after: Date, manager: EntityManager): Promise<PermanenceSession[]> {
    return manager
      .createQueryBuilder(PermanenceSession, 's')
      .where('s.seriesId = :seriesId', { seriesId })
      .andWhere('s.startsAt > :after', { after })
      .andWhere('NOT s.overridden')
      .orderBy('s.startsAt')
      .getMany();
  }

  sessionsBetween(from: string, to: string, manager: EntityManager = this.dataSource.manager): Promise<PermanenceSession[]> {
    return manager
      .createQueryBuilder(PermanenceSession, 's')
      .where('s.date BETWEEN :from AND :to', { from, to })
      .orderBy('s.startsAt')
      .addOrderBy('s.id')
      .getMany();
  }

  session(id: string, manager: EntityManager = this.dataSource.manager): Promise<PermanenceSession | null> {
    return manager.findOneBy(PermanenceSession, { id });
  }

  async sessionIdOfSlot(slotId: string): Promise<string | null> {
    const rows: Array<{ session_id: string }> = await this.dataSource.query(`SELECT session_id FROM slots WHERE id = $1`, [slotId]);
    return rows[0]?.session_id ?? null;
  }

  slotsOfSessions(sessionIds: string[], manager: EntityManager = this.dataSource.manager): Promise<ListedSlot[]> {
    if (sessionIds.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT sl.id, sl.session_id AS "sessionId", sl.starts_at AS "startsAt", sl.ends_at AS "endsAt", sl.capacity, sl.booked,
              u.id AS "advisorId", u.name AS "advisorName"
       FROM slots sl JOIN desks d ON d.id = sl.desk_id LEFT JOIN users u ON u.id = d.advisor_id
       WHERE sl.session_id = ANY($1::uuid[])
       ORDER BY sl.starts_at, d.position`,
      [sessionIds],
    );
  }
}
