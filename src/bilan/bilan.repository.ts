import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The period twice over, as in the reports: local dates for sessions, instants for workshops. */
export interface BilanScope {
  fromDate: string;
  toDate: string;
  fromInstant: Date;
  toInstant: Date;
}

type Split = { inMetropolis: number; outside: number; unknown: number };

/** What `BilanRepository.figures` returns: every section as PostgreSQL aggregated it (codes, no labels). */
export interface BilanRows {
  organisations: Split & { total: number; new: number };
  permanences: { held: number; cancelled: number; scheduled: number };
  months: Array<{ month: string; permanenceBookings: number; permanenceAttended: number; workshopRegistrations: number; workshopAttended: number }>;
  topics: Array<{ code: string; bookings: number; organisations: number }>;
  legalForms: Array<{ code: string | null; bookings: number; organisations: number }>;
  communes: Array<{ code: string; bookings: number; organisations: number }>;
  communeBookings: Split;
  orientations: { given: number; bookings: number; organisations: number };
  byOrientation: Array<{ code: string; bookings: number; organisations: number }>;
  workshops: Array<{
    id: string;
    title: string;
    date: string;
    time: string;
    status: 'scheduled' | 'cancelled';
    seats: number;
    registered: number;
    waitlisted: number;
    attended: number;
  }>;
  satisfaction: { responses: number; attended: number; asked: number; mean: number | null; distribution: Array<{ score: number; responses: number }> };
  satisfactionByKind: Array<{ kind: 'permanence' | 'atelier'; responses: number; attended: number; asked: number; mean: number | null }>;
  satisfactionByWorkshop: Array<{ id: string; title: string; date: string; responses: number; attended: number; asked: number; mean: number | null }>;
}

export interface SatisfactionComment {
  date: string;
  kind: 'permanence' | 'atelier';
  title: string;
  score: number;
  comment: string;
}

/**
 * The period's non-cancelled bookings ($1–$4), as the reports select them (reports/reports.repository.ts,
 * SCOPED: sessions by local date, workshops by start): `org_key` is the register entry once merges are
 * followed; the legal form is the register's else the booking's, and so is the commune (INSEE code) —
 * the rule shared with the reports and the register. `attended`: present at an event that has ended
 * at $6 (the reports' "Présences"); `asked`: sent the satisfaction question (satisfaction/, whatever
 * its attendance says now: a presence corrected after the e-mail still counts a questionnaire sent).
 */
const SCOPED = `
  scoped AS MATERIALIZED (
    SELECT r.id, r.status, r.topics, r.kind, r.event_start, r.workshop_id, r.title,
           r.attendance = 'present' AND r.event_end <= $6 AS attended, r.satisfaction_requested_at IS NOT NULL AS asked,
           c.id AS org_key, coalesce(c.legal_form, r.organisation_legal_form) AS legal_form,
           coalesce(c.commune_code, r.organisation_commune_code) AS commune_code
    FROM (
      SELECT b.id, b.status, b.attendance, b.satisfaction_requested_at, b.topics, b.organisation_id, b.organisation_legal_form,
             b.organisation_commune_code, 'permanence' AS kind, sl.starts_at AS event_start, sl.ends_at AS event_end, NULL::uuid AS workshop_id,
             coalesce(ps.name, (SELECT name FROM permanence_series ORDER BY created_at LIMIT 1), 'Permanence') AS title
      FROM permanence_sessions s
      JOIN slots sl ON sl.session_id = s.id
      JOIN bookings b ON b.slot_id = sl.id
      LEFT JOIN permanence_series ps ON ps.id = s.series_id
      WHERE s.date BETWEEN $1 AND $2 AND b.status <> 'cancelled'
      UNION ALL
      SELECT b.id, b.status, b.attendance, b.satisfaction_requested_at, b.topics, b.organisation_id, b.organisation_legal_form,
             b.organisation_commune_code, 'atelier', w.starts_at, w.ends_at, w.id, w.title
      FROM workshops w
      JOIN bookings b ON b.workshop_id = w.id
      WHERE w.starts_at >= $3 AND w.starts_at < $4 AND b.status <> 'cancelled'
    ) r
    LEFT JOIN organisations o ON o.id = r.organisation_id
    LEFT JOIN organisations c ON c.id = coalesce(o.merged_into, o.id)
  )`;

/** An INSEE code's place: $7 is the metropolis' member communes. */
const PLACE = `CASE WHEN commune_code IS NULL THEN 'unknown' WHEN commune_code = ANY($7::text[]) THEN 'in' ELSE 'out' END`;

/** Zero-filled counts of a `place` column. */
const SPLIT = `json_build_object('inMetropolis', count(*) FILTER (WHERE place = 'in'), 'outside', count(*) FILTER (WHERE place = 'out'),
                                 'unknown', count(*) FILTER (WHERE place = 'unknown'))`;

/** Mean score with two decimals, null without answers. */
const MEAN = `round(avg(a.score), 2)::float8`;

/**
 * The bilan's queries. Every section is an aggregate of one statement, over the period's bookings
 * selected once (a materialised CTE), so the bilan is one round trip and loads no booking row.
 */
@Injectable()
export class BilanRepository {
  /**
   * Each section (a JSON value):
   * - organisations: distinct entries; new when their first non-cancelled booking ever (by event
   *   start, as in the reports) is in the period; each placed by its commune (the register's, else
   *   the one of its latest booking of the period that gave one);
   * - permanences: the sessions of the period (held: scheduled and ended at $6, as in the reports);
   * - months: bookings and attendance by the event's local month ($5) and kind;
   * - topics, legal forms, communes: bookings and distinct organisations;
   * - orientations: from the follow-ups of the period's bookings;
   * - workshops: every workshop starting in the period, cancelled ones included;
   * - satisfaction: the answers to the period's bookings, the questionnaires sent (the rate's
   *   denominator) and the attended bookings.
   */
  async figures(scope: BilanScope, timeZone: string, now: Date, metropolis: string[], manager: EntityManager): Promise<BilanRows> {
    const [rows] = await manager.query<BilanRows[]>(
      `WITH ${SCOPED},
       orgs AS MATERIALIZED (
         SELECT org_key, (array_agg(commune_code ORDER BY event_start DESC) FILTER (WHERE commune_code IS NOT NULL))[1] AS commune_code
         FROM scoped WHERE org_key IS NOT NULL GROUP BY org_key
       ),
       firsts AS (
         SELECT coalesce(o.merged_into, o.id) AS org_key, min(coalesce(sl.starts_at, w.starts_at)) AS first_start
         FROM bookings b
         JOIN organisations o ON o.id = b.organisation_id
         LEFT JOIN slots sl ON sl.id = b.slot_id
         LEFT JOIN workshops w ON w.id = b.workshop_id
         WHERE b.status <> 'cancelled' AND coalesce(o.merged_into, o.id) IN (SELECT org_key FROM orgs)
         GROUP BY 1
       ),
       answers AS MATERIALIZED (
         SELECT s.kind, s.workshop_id, a.score FROM scoped s JOIN satisfaction_answers a ON a.booking_id = s.id
       ),
       follow_ups AS MATERIALIZED (
         -- A follow-up is written for someone who came; if the attendance was corrected since, its orientations were not given.
         SELECT s.org_key, f.orientations FROM scoped s JOIN booking_follow_ups f ON f.booking_id = s.id
         WHERE cardinality(f.orientations) > 0 AND s.attended
       )
       SELECT
         (SELECT json_build_object('total', count(*), 'new', (SELECT count(*) FROM firsts WHERE first_start >= $3),
                                   'inMetropolis', count(*) FILTER (WHERE place = 'in'), 'outside', count(*) FILTER (WHERE place = 'out'),
                                   'unknown', count(*) FILTER (WHERE place = 'unknown'))
          FROM (SELECT ${PLACE} AS place FROM orgs) placed) AS organisations,
         (SELECT json_build_object('held', count(*) FILTER (WHERE status = 'scheduled' AND ends_at <= $6),
                                   'cancelled', count(*) FILTER (WHERE status = 'cancelled'),
                                   'scheduled', count(*) FILTER (WHERE status = 'scheduled' AND ends_at > $6))
          FROM permanence_sessions WHERE date BETWEEN $1 AND $2) AS permanences,
         (SELECT coalesce(json_agg(x ORDER BY x.month), '[]')
          FROM (SELECT to_char(event_start AT TIME ZONE $5, 'YYYY-MM') AS month,
                       count(*) FILTER (WHERE kind = 'permanence') AS "permanenceBookings",
                       count(*) FILTER (WHERE kind = 'permanence' AND attended) AS "permanenceAttended",
                       count(*) FILTER (WHERE kind = 'atelier') AS "workshopRegistrations",
                       count(*) FILTER (WHERE kind = 'atelier' AND attended) AS "workshopAttended"
                FROM scoped GROUP BY 1) x) AS months,
         (SELECT coalesce(json_agg(x ORDER BY x.bookings DESC, x.code COLLATE "C"), '[]')
          FROM (SELECT t.code, count(*) AS bookings, count(DISTINCT org_key) AS organisations
                FROM scoped CROSS JOIN LATERAL unnest(topics) AS t(code) GROUP BY t.code) x) AS topics,
         (SELECT coalesce(json_agg(x ORDER BY x.bookings DESC, x.code COLLATE "C" NULLS LAST), '[]')
          FROM (SELECT legal_form AS code, count(*) AS bookings, count(DISTINCT org_key) AS organisations
                FROM scoped GROUP BY legal_form) x) AS "legalForms",
         (SELECT coalesce(json_agg(x ORDER BY x.organisations DESC, x.bookings DESC, x.code COLLATE "C"), '[]')
          FROM (SELECT s.code, s.bookings, coalesce(o.organisations, 0) AS organisations
                FROM (SELECT commune_code AS code, count(*) AS bookings FROM scoped WHERE commune_code IS NOT NULL GROUP BY 1) s
                LEFT JOIN (SELECT commune_code AS code, count(*) AS organisations FROM orgs WHERE commune_code IS NOT NULL GROUP BY 1) o
                  ON o.code = s.code) x) AS communes,
         (SELECT ${SPLIT} FROM (SELECT ${PLACE} AS place FROM scoped) placed) AS "communeBookings",
         (SELECT json_build_object('given', coalesce(sum(cardinality(orientations)), 0), 'bookings', count(*),
                                   'organisations', count(DISTINCT org_key))
          FROM follow_ups) AS orientations,
         (SELECT coalesce(json_agg(x ORDER BY x.bookings DESC, x.code COLLATE "C"), '[]')
          FROM (SELECT o.code, count(*) AS bookings, count(DISTINCT org_key) AS organisations
                FROM follow_ups CROSS JOIN LATERAL unnest(orientations) AS o(code) GROUP BY o.code) x) AS "byOrientation",
         (SELECT coalesce(json_agg(x ORDER BY x.starts_at, x.id), '[]')
          FROM (SELECT w.id, w.title, w.starts_at, to_char(w.starts_at AT TIME ZONE $5, 'YYYY-MM-DD') AS date,
                       to_char(w.starts_at AT TIME ZONE $5, 'HH24:MI') AS time, w.status, w.capacity AS seats,
                       count(b.id) FILTER (WHERE b.status = 'confirmed') AS registered,
                       count(b.id) FILTER (WHERE b.status = 'waitlisted') AS waitlisted,
                       count(b.id) FILTER (WHERE b.attendance = 'present') AS attended
                FROM workshops w
                LEFT JOIN bookings b ON b.workshop_id = w.id AND b.status <> 'cancelled'
                WHERE w.starts_at >= $3 AND w.starts_at < $4
                GROUP BY w.id) x) AS workshops,
         (SELECT json_build_object('responses', (SELECT count(*) FROM answers), 'attended', count(*) FILTER (WHERE attended),
                                   'asked', count(*) FILTER (WHERE asked),
                                   'mean', (SELECT ${MEAN} FROM answers a),
                                   'distribution', (SELECT json_agg(json_build_object('score', n, 'responses', coalesce(c.responses, 0)) ORDER BY n)
                                                    FROM generate_series(1, 5) n
                                                    LEFT JOIN (SELECT score, count(*) AS responses FROM answers GROUP BY score) c ON c.score = n))
          FROM scoped) AS satisfaction,
         (SELECT json_agg(x ORDER BY x.position)
          FROM (SELECT k.kind, k.position, coalesce(a.responses, 0) AS responses, coalesce(t.attended, 0) AS attended,
                       coalesce(t.asked, 0) AS asked, a.mean
                FROM (VALUES ('permanence', 1), ('atelier', 2)) k(kind, position)
                LEFT JOIN (SELECT kind, count(*) AS responses, ${MEAN} AS mean FROM answers a GROUP BY kind) a ON a.kind = k.kind
                LEFT JOIN (SELECT kind, count(*) FILTER (WHERE attended) AS attended, count(*) FILTER (WHERE asked) AS asked FROM scoped GROUP BY kind) t ON t.kind = k.kind) x) AS "satisfactionByKind",
         (SELECT coalesce(json_agg(x ORDER BY x.starts_at, x.id), '[]')
          FROM (SELECT w.id, w.title, w.starts_at, to_char(w.starts_at AT TIME ZONE $5, 'YYYY-MM-DD') AS date,
                       coalesce(a.responses, 0) AS responses, coalesce(t.attended, 0) AS attended,
                       coalesce(t.asked, 0) AS asked, a.mean
                FROM workshops w
                LEFT JOIN (SELECT workshop_id, count(*) AS responses, ${MEAN} AS mean FROM answers a WHERE workshop_id IS NOT NULL GROUP BY 1) a
                  ON a.workshop_id = w.id
                LEFT JOIN (SELECT workshop_id, count(*) FILTER (WHERE attended) AS attended, count(*) FILTER (WHERE asked) AS asked
                           FROM scoped WHERE workshop_id IS NOT NULL GROUP BY 1) t
                  ON t.workshop_id = w.id
                WHERE w.starts_at >= $3 AND w.starts_at < $4 AND w.status = 'scheduled') x) AS "satisfactionByWorkshop"`,
      [scope.fromDate, scope.toDate, scope.fromInstant, scope.toInstant, timeZone, now, metropolis],
    );
    return rows;
  }

  /** The comments of the period's answers, newest event first, naming no one (admins only: BilanService). */
  comments(scope: BilanScope, timeZone: string, now: Date, manager: EntityManager): Promise<SatisfactionComment[]> {
    return manager.query(
      `WITH ${SCOPED}
       SELECT to_char(s.event_start AT TIME ZONE $5, 'YYYY-MM-DD') AS date, s.kind, s.title, a.score, a.comment
       FROM scoped s JOIN satisfaction_answers a ON a.booking_id = s.id
       WHERE nullif(btrim(a.comment), '') IS NOT NULL
       ORDER BY s.event_start DESC, a.answered_at DESC, s.id`,
      [scope.fromDate, scope.toDate, scope.fromInstant, scope.toInstant, timeZone, now],
    );
  }
}
