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
  cancelled: number;
  slotsOffered: number;
}

export interface BookingTotals {
  bookings: number;
  slotsBooked: number;
  present: number;
  absent: number;
  excused: number;
  organisations: number;
  newOrganisations: number;
}

export interface LegalFormCount {
  code: string | null;
  bookings: number;
  organisations: number;
}

export interface TopicCount {
  code: string;
  bookings: number;
}

export interface CommuneCount {
  commune: string;
  bookings: number;
  organisations: number;
}

export interface WorkshopFigures {
  id: string;
  title: string;
  startsAt: Date;
  status: 'scheduled' | 'cancelled';
  seats: number;
  registered: number;
  waitlisted: number;
  attended: number;
}

export interface ReportRow {
  kind: 'permanence' | 'atelier';
  startsAt: Date;
  title: string;
  organisationName: string;
  siret: string | null;
  legalForm: string | null;
  postcode: string | null;
  commune: string | null;
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
 * postcode and commune come from the register, which admins correct, else from the booking.
 */
const SCOPED = `
  in_range AS (
    SELECT b.id, b.status, b.attendance, b.topics, b.created_at, b.organisation_id, b.organisation_name, b.organisation_siret,
           b.organisation_legal_form, b.organisation_postcode, b.attendee_name, b.attendee_email,
           'permanence' AS kind, sl.starts_at AS event_start, coalesce(ps.name, 'Permanence') AS title
    FROM permanence_sessions s
    JOIN slots sl ON sl.session_id = s.id
    JOIN bookings b ON b.slot_id = sl.id
    LEFT JOIN permanence_series ps ON ps.id = s.series_id
    WHERE s.date BETWEEN $1 AND $2 AND b.status <> 'cancelled'
    UNION ALL
    SELECT b.id, b.status, b.attendance, b.topics, b.created_at, b.organisation_id, b.organisation_name, b.organisation_siret,
           b.organisation_legal_form, b.organisation_postcode, b.attendee_name, b.attendee_email,
           'atelier', w.starts_at, w.title
    FROM workshops w
    JOIN bookings b ON b.workshop_id = w.id
    WHERE w.starts_at >= $3 AND w.starts_at < $4 AND b.status <> 'cancelled'
  ),
  scoped AS (
    SELECT r.*, c.id AS org_key, coalesce(c.name, r.organisation_name) AS org_name, coalesce(c.siret, r.organisation_siret) AS siret,
           coalesce(c.legal_form, r.organisation_legal_form) AS legal_form, coalesce(c.postcode, r.organisation_postcode) AS postcode,
           nullif(btrim(c.commune), '') AS commune
    FROM in_range r
    LEFT JOIN organisations o ON o.id = r.organisation_id
    LEFT JOIN organisations c ON c.id = coalesce(o.merged_into, o.id)
  )`;

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
  async selectScope(scope: ReportScope, manager: EntityManager): Promise<void> {
    await manager.query(`CREATE TEMP TABLE report_scoped ON COMMIT DROP AS WITH ${SCOPED} SELECT * FROM scoped`, params(scope));
  }

  /** Sessions of the period by status, and the slots of those held. */
  async sessionTotals(scope: ReportScope, manager: EntityManager): Promise<SessionTotals> {
    const [totals] = await manager.query(
      `SELECT count(*) FILTER (WHERE s.status = 'scheduled')::int AS held,
              count(*) FILTER (WHERE s.status = 'cancelled')::int AS cancelled,
              coalesce(sum(n.slots) FILTER (WHERE s.status = 'scheduled'), 0)::int AS "slotsOffered"
       FROM permanence_sessions s
       CROSS JOIN LATERAL (SELECT count(*) AS slots FROM slots sl WHERE sl.session_id = s.id) n
       WHERE s.date BETWEEN $1 AND $2`,
      [scope.fromDate, scope.toDate],
    );
    return totals;
  }

  /**
   * Counts over the period's bookings. An organisation is new when its first non-cancelled booking
   * ever (by event start, over every period) is in this one; having a booking in the period, it
   * only needs none before it.
   */
  async bookingTotals(scope: ReportScope, manager: EntityManager): Promise<BookingTotals> {
    const [totals] = await manager.query(
      `WITH firsts AS (
         SELECT coalesce(o.merged_into, o.id) AS org_key, min(coalesce(sl.starts_at, w.starts_at)) AS first_start
         FROM bookings b
         JOIN organisations o ON o.id = b.organisation_id
         LEFT JOIN slots sl ON sl.id = b.slot_id
         LEFT JOIN workshops w ON w.id = b.workshop_id
         WHERE b.status <> 'cancelled' AND coalesce(o.merged_into, o.id) IN (SELECT org_key FROM report_scoped)
         GROUP BY 1
       )
       SELECT count(*)::int AS bookings,
              count(*) FILTER (WHERE kind = 'permanence' AND status = 'confirmed')::int AS "slotsBooked",
              count(*) FILTER (WHERE attendance = 'present')::int AS present,
              count(*) FILTER (WHERE attendance = 'absent')::int AS absent,
              count(*) FILTER (WHERE attendance = 'excused')::int AS excused,
              count(DISTINCT org_key)::int AS organisations,
              (SELECT count(*) FROM firsts WHERE first_start >= $1)::int AS "newOrganisations"
       FROM report_scoped`,
      [scope.fromInstant],
    );
    return totals;
  }

  byLegalForm(manager: EntityManager): Promise<LegalFormCount[]> {
    return manager.query(
      `SELECT legal_form AS code, count(*)::int AS bookings, count(DISTINCT org_key)::int AS organisations
       FROM report_scoped GROUP BY legal_form
       ORDER BY bookings DESC, legal_form COLLATE "C" NULLS LAST`,
    );
  }

  byTopic(manager: EntityManager): Promise<TopicCount[]> {
    return manager.query(
      `SELECT t.code, count(*)::int AS bookings
       FROM report_scoped s CROSS JOIN LATERAL unnest(s.topics) AS t(code)
       GROUP BY t.code
       ORDER BY bookings DESC, t.code COLLATE "C"`,
    );
  }

  /** The register's commune, else the postcode, else nothing known. */
  byCommune(manager: EntityManager): Promise<CommuneCount[]> {
    return manager.query(
      `SELECT place AS commune, count(*)::int AS bookings, count(DISTINCT org_key)::int AS organisations
       FROM (SELECT org_key, CASE WHEN commune IS NOT NULL THEN commune
                                  WHEN postcode IS NOT NULL THEN 'Code postal ' || postcode
                                  ELSE 'Non renseignée' END AS place
             FROM report_scoped) placed
       GROUP BY place
       ORDER BY bookings DESC, place COLLATE "C"`,
    );
  }

  /** Every workshop starting in the period, cancelled ones included, with its non-cancelled registrations counted. */
  workshops(scope: ReportScope, manager: EntityManager): Promise<WorkshopFigures[]> {
    return manager.query(
      `SELECT w.id, w.title, w.starts_at AS "startsAt", w.status, w.capacity AS seats,
              count(b.id) FILTER (WHERE b.status = 'confirmed')::int AS registered,
              count(b.id) FILTER (WHERE b.status = 'waitlisted')::int AS waitlisted,
              count(b.id) FILTER (WHERE b.attendance = 'present')::int AS attended
       FROM workshops w
       LEFT JOIN bookings b ON b.workshop_id = w.id AND b.status <> 'cancelled'
       WHERE w.starts_at >= $1 AND w.starts_at < $2
       GROUP BY w.id
       ORDER BY w.starts_at, w.id`,
      [scope.fromInstant, scope.toInstant],
    );
  }

  /** One row per non-cancelled booking of the period, in event order. */
  rows(manager: EntityManager): Promise<ReportRow[]> {
    return manager.query(
      `SELECT kind, event_start AS "startsAt", title, org_name AS "organisationName", siret, legal_form AS "legalForm", postcode, commune,
              attendee_name AS "attendeeName", attendee_email AS "attendeeEmail", topics, status, attendance
       FROM report_scoped
       ORDER BY event_start, created_at, id`,
    );
  }
}

function params(scope: ReportScope): [string, string, Date, Date] {
  return [scope.fromDate, scope.toDate, scope.fromInstant, scope.toInstant];
}
