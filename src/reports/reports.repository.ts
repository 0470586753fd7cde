import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A report's period twice over: local dates for sessions (which carry their own date), instants for workshops. */
export interface ReportScope {
  fromDate: string;
  toDate: string;
  fromInstant: Date;
  toInstant: Date;
}

export interface SessionTotals {
  held: number;
  scheduled: number;
  cancelled: number;
  slotsOffered: number;
}

/** Where an organisation is: its commune in the metropolis, out of it, or no commune known. */
export type Area = 'in' | 'out' | 'unknown';

/** Counts split by area (every area present, zeros included, once `ReportsService` has filled them in). */
export type ByArea<T> = Partial<Record<Area, T>>;

export interface AreaCounts {
  bookings: number;
  organisations: number;
}

export interface BookingTotals {
  bookings: number;
  slotsBooked: number;
  /** Attendance of the bookings whose event has ended. */
  present: number;
  absent: number;
  excused: number;
  /** Confirmed bookings whose event has ended with no attendance recorded. */
  unrecorded: number;
  organisations: number;
  newOrganisations: number;
}

export interface LegalFormCount {
  code: string | null;
  bookings: number;
  organisations: number;
  areas: ByArea<AreaCounts>;
}

export interface TopicCount {
  code: string;
  bookings: number;
  organisations: number;
  areas: ByArea<AreaCounts>;
}

export interface CommuneCount {
  /** INSEE code; null when no commune is known. */
  code: string | null;
  area: Area;
  bookings: number;
  organisations: number;
}

export interface WorkshopFigures {
  id: string;
  title: string;
  /** Local date and time (YYYY-MM-DD, HH:mm) in the programme's zone. */
  date: string;
  time: string;
  status: 'scheduled' | 'cancelled';
  seats: number;
  registered: number;
  waitlisted: number;
  attended: number;
  /** The confirmed registrations and the present, by the area of the organisation's commune. */
  areas: ByArea<WorkshopAreaCounts>;
}

export interface WorkshopAreaCounts {
  registered: number;
  attended: number;
}

/** What `ReportsRepository.figures` returns: the figures' parts as PostgreSQL aggregated them. */
export interface FigureRows {
  sessions: SessionTotals;
  /** All the period's bookings (`all`), and those of each area. */
  bookings: ByArea<BookingTotals> & { all: BookingTotals };
  byLegalForm: LegalFormCount[];
  byTopic: TopicCount[];
  byCommune: CommuneCount[];
  workshops: WorkshopFigures[];
}

export interface ReportRow {
  kind: 'permanence' | 'atelier';
  /** The event's local date and time (YYYY-MM-DD, HH:mm) in the programme's zone. */
  date: string;
  time: string;
  title: string;
  organisationName: string;
  siret: string | null;
  legalForm: string | null;
  postcode: string | null;
  /** The register's free text, for an entry without a commune code. */
  commune: string | null;
  communeCode: string | null;
  area: Area;
  attendeeName: string;
  attendeeEmail: string;
  topics: string[];
  status: 'confirmed' | 'waitlisted';
  attendance: 'present' | 'absent' | 'excused' | null;
}

/**
 * The non-cancelled bookings of the period ($1–$4 of ReportScope): permanence bookings by their
 * session's local date, workshop registrations by the workshop's start. The organisation is the
 * register's entry the booking belongs to once merges are followed (`org_key`); its legal form,
 * postcode and commune come from the register, which admins correct, else from the booking. Its
 * `area` is 'in' when that commune is one of the metropolis' ($5, Territory.metropolisCommuneCodes),
 * 'out' when it is another, 'unknown' without one. An extra session (no series) is titled as the
 * programme's series is. The bilan selects the same bookings
 * (bilan/bilan.repository.ts, SCOPED): change both.
 */
const SCOPED = `
  in_range AS (
    SELECT b.id, b.status, b.attendance, b.topics, b.created_at, b.organisation_id, b.organisation_name, b.organisation_siret,
           b.organisation_legal_form, b.organisation_postcode, b.organisation_commune_code, b.attendee_name, b.attendee_email,
           'permanence' AS kind, sl.starts_at AS event_start, sl.ends_at AS event_end, coalesce(ps.name, (SELECT name FROM permanence_series ORDER BY created_at LIMIT 1), 'Permanence') AS title
    FROM permanence_sessions s
    JOIN slots sl ON sl.session_id = s.id
    JOIN bookings b ON b.slot_id = sl.id
    LEFT JOIN permanence_series ps ON ps.id = s.series_id
    WHERE s.date BETWEEN $1 AND $2 AND b.status <> 'cancelled'
    UNION ALL
    SELECT b.id, b.status, b.attendance, b.topics, b.created_at, b.organisation_id, b.organisation_name, b.organisation_siret,
           b.organisation_legal_form, b.organisation_postcode, b.organisation_commune_code, b.attendee_name, b.attendee_email,
           'atelier', w.starts_at, w.ends_at, w.title
    FROM workshops w
    JOIN bookings b ON b.workshop_id = w.id
    WHERE w.starts_at >= $3 AND w.starts_at < $4 AND b.status <> 'cancelled'
  ),
  scoped AS (
    SELECT r.*, c.id AS org_key, coalesce(c.name, r.organisation_name) AS org_name, coalesce(c.siret, r.organisation_siret) AS siret,
           coalesce(c.legal_form, r.organisation_legal_form) AS legal_form, coalesce(c.postcode, r.organisation_postcode) AS postcode,
           nullif(btrim(c.commune), '') AS commune, coalesce(c.commune_code, r.organisation_commune_code) AS commune_code
    FROM in_range r
    LEFT JOIN organisations o ON o.id = r.organisation_id
    LEFT JOIN organisations c ON c.id = coalesce(o.merged_into, o.id)
  ),
  placed AS (
    SELECT s.*, CASE WHEN s.commune_code IS NULL THEN 'unknown' WHEN s.commune_code = ANY($5::text[]) THEN 'in' ELSE 'out' END AS area
    FROM scoped s
  )`;

/** The bookings, then the organisations, of each area, as `ByArea<AreaCounts>` (in a query over report_scoped). */
/** A workshop's confirmed registrations and present, by area, as `ByArea<WorkshopAreaCounts>` (bookings `b` joined to report_scoped `s`). */
const WORKSHOP_AREAS = `json_build_object(${(['in', 'out', 'unknown'] as const)
  .map(
    (area) =>
      `'${area}', json_build_object('registered', count(b.id) FILTER (WHERE b.status = 'confirmed' AND s.area = '${area}'), 'attended', count(b.id) FILTER (WHERE b.attendance = 'present' AND s.area = '${area}'))`,
  )
  .join(', ')})`;

const AREA_COUNTS = `json_build_object(${(['in', 'out', 'unknown'] as const)
  .map(
    (area) =>
      `'${area}', json_build_object('bookings', count(*) FILTER (WHERE area = '${area}'), 'organisations', count(DISTINCT org_key) FILTER (WHERE area = '${area}'))`,
  )
  .join(', ')})`;

/**
 * The attendance report's queries; every figure is a SQL aggregate, so no query loads the period's rows but `rows`.
 * The period's bookings are selected once per report into a temporary table (`selectScope`), which the
 * queries about them read: each evaluated the whole selection again before (about 20 ms each here).
 */
@Injectable()
export class ReportsRepository {
  /**
   * The non-cancelled bookings of the period, as table `report_scoped` until the transaction ends;
   * call it first, in the transaction of the queries that read it.
   */
  async selectScope(scope: ReportScope, metropolisCommuneCodes: string[], manager: EntityManager): Promise<void> {
    await manager.query(`CREATE TEMP TABLE report_scoped ON COMMIT DROP AS WITH ${SCOPED} SELECT * FROM placed`, [...params(scope), metropolisCommuneCodes]);
  }

  /**
   * Every figure of the period in one statement (each part a JSON value), so that it is one round
   * trip, and so that PostgreSQL computes it while the caller works on the rows (`ReportsService`).
   * - sessions: sessions by status, a scheduled one being held once it has ended at `now` (and to
   *   come before), and the slots of the scheduled ones;
   * - bookings: counts over the period's bookings; attendance only over those whose event has ended
   *   at `now` (it can be noted from the start, but a session is only over at its end). An organisation is new when its first
   *   non-cancelled booking ever (by event start, over every period) is in this one; having a booking
   *   in the period, it only needs none before it;
   * - bookings by area too (ROLLUP: the row of every area is `all`); an organisation is counted in
   *   the area of its bookings' commune (the register's, so one area, once the register knows it);
   * - byLegalForm, byTopic (each with its areas), byCommune (by commune code and area; null: none known);
   * - workshops: every workshop starting in the period, cancelled ones included, with its
   *   non-cancelled registrations counted, and its local date and time in `timeZone`.
   */
  async figures(scope: ReportScope, timeZone: string, now: Date, manager: EntityManager): Promise<FigureRows> {
    const [figures] = await manager.query<FigureRows[]>(
      `SELECT
         (SELECT json_build_object(
                   'held', count(*) FILTER (WHERE s.status = 'scheduled' AND s.ends_at <= $6),
                   'scheduled', count(*) FILTER (WHERE s.status = 'scheduled' AND s.ends_at > $6),
                   'cancelled', count(*) FILTER (WHERE s.status = 'cancelled'),
                   'slotsOffered', coalesce(sum(n.slots) FILTER (WHERE s.status = 'scheduled'), 0))
          FROM permanence_sessions s
          CROSS JOIN LATERAL (SELECT count(*) AS slots FROM slots sl WHERE sl.session_id = s.id) n
          WHERE s.date BETWEEN $1 AND $2) AS sessions,
         (WITH firsts AS (
            SELECT coalesce(o.merged_into, o.id) AS org_key, min(coalesce(sl.starts_at, w.starts_at)) AS first_start
            FROM bookings b
            JOIN organisations o ON o.id = b.organisation_id
            LEFT JOIN slots sl ON sl.id = b.slot_id
            LEFT JOIN workshops w ON w.id = b.workshop_id
            WHERE b.status <> 'cancelled' AND coalesce(o.merged_into, o.id) IN (SELECT org_key FROM report_scoped)
            GROUP BY 1
          )
          SELECT json_object_agg(coalesce(area, 'all'), totals)
          FROM (SELECT area, json_build_object(
                   'bookings', count(*),
                   'slotsBooked', count(*) FILTER (WHERE kind = 'permanence' AND status = 'confirmed'),
                   'present', count(*) FILTER (WHERE attendance = 'present' AND event_end <= $6),
                   'absent', count(*) FILTER (WHERE attendance = 'absent' AND event_end <= $6),
                   'excused', count(*) FILTER (WHERE attendance = 'excused' AND event_end <= $6),
                   'unrecorded', count(*) FILTER (WHERE attendance IS NULL AND status = 'confirmed' AND event_end <= $6),
                   'organisations', count(DISTINCT org_key),
                   'newOrganisations', count(DISTINCT org_key) FILTER (WHERE org_key IN (SELECT org_key FROM firsts WHERE first_start >= $3))) AS totals
                FROM report_scoped GROUP BY ROLLUP (area)) by_area) AS bookings,
         (SELECT coalesce(json_agg(x ORDER BY x.bookings DESC, x.code COLLATE "C" NULLS LAST), '[]')
          FROM (SELECT legal_form AS code, count(*) AS bookings, count(DISTINCT org_key) AS organisations, ${AREA_COUNTS} AS areas
                FROM report_scoped GROUP BY legal_form) x) AS "byLegalForm",
         (SELECT coalesce(json_agg(x ORDER BY x.bookings DESC, x.code COLLATE "C"), '[]')
          FROM (SELECT t.code, count(*) AS bookings, count(DISTINCT org_key) AS organisations, ${AREA_COUNTS} AS areas
                FROM report_scoped s CROSS JOIN LATERAL unnest(s.topics) AS t(code) GROUP BY t.code) x) AS "byTopic",
         (SELECT coalesce(json_agg(x), '[]')
          FROM (SELECT commune_code AS code, area, count(*) AS bookings, count(DISTINCT org_key) AS organisations
                FROM report_scoped GROUP BY commune_code, area) x) AS "byCommune",
         (SELECT coalesce(json_agg(x ORDER BY x.starts_at, x.id), '[]')
          FROM (SELECT w.id, w.title, w.starts_at, to_char(w.starts_at AT TIME ZONE $5, 'YYYY-MM-DD') AS date,
                       to_char(w.starts_at AT TIME ZONE $5, 'HH24:MI') AS time, w.status, w.capacity AS seats,
                       count(b.id) FILTER (WHERE b.status = 'confirmed') AS registered,
                       count(b.id) FILTER (WHERE b.status = 'waitlisted') AS waitlisted,
                       count(b.id) FILTER (WHERE b.attendance = 'present') AS attended, ${WORKSHOP_AREAS} AS areas
                FROM workshops w
                LEFT JOIN bookings b ON b.workshop_id = w.id AND b.status <> 'cancelled'
                LEFT JOIN report_scoped s ON s.id = b.id
                WHERE w.starts_at >= $3 AND w.starts_at < $4
                GROUP BY w.id) x) AS workshops`,
      [scope.fromDate, scope.toDate, scope.fromInstant, scope.toInstant, timeZone, now],
    );
    return figures;
  }

  /**
   * One row per non-cancelled booking of the period, in event order, with the event's local date and
   * time in `timeZone` worked out by PostgreSQL (with luxon, once per distinct instant, it was a fifth
   * of the report's time in Node).
   */
  rows(timeZone: string, manager: EntityManager): Promise<ReportRow[]> {
    return manager.query(
      `SELECT kind, to_char(event_start AT TIME ZONE $1, 'YYYY-MM-DD') AS date, to_char(event_start AT TIME ZONE $1, 'HH24:MI') AS time, title, org_name AS "organisationName", siret, legal_form AS "legalForm", postcode, commune,
              commune_code AS "communeCode", area,
              attendee_name AS "attendeeName", attendee_email AS "attendeeEmail", topics, status, attendance
       FROM report_scoped
       ORDER BY event_start, created_at, id`,
      [timeZone],
    );
  }
}

function params(scope: ReportScope): [string, string, Date, Date] {
  return [scope.fromDate, scope.toDate, scope.fromInstant, scope.toInstant];
}
