import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../common/sql';

/** A booking as the staff see it on the day. */
export interface AgendaBooking {
  id: string;
  status: 'confirmed' | 'waitlisted';
  attendeeName: string;
  attendeeEmail: string;
  attendeePhone: string | null;
  organisationName: string;
  organisationSiret: string | null;
  organisationLegalForm: string | null;
  organisationPostcode: string | null;
  organisationCommuneCode: string | null;
  /** Named by AgendaService from Etalab's data (src/territory/). */
  organisationCommune?: { name: string; inMetropolis: boolean } | null;
  topics: string[];
  message: string | null;
  attendance: 'present' | 'absent' | 'excused' | null;
  attendanceNote: string | null;
  /** As PostgreSQL writes a timestamptz in JSON (the connection's offset). */
  attendanceRecordedAt: string | null;
  attendanceRecordedById: string | null;
  attendanceRecordedByName: string | null;
  waitlistPosition: number | null;
  organisationId: string | null;
  /** The follow-up recorded after the appointment (permanence bookings), or null. */
  followUp: AgendaFollowUp | null;
}

/** A booking's follow-up as the agenda shows it (follow-ups/ writes it). */
export interface AgendaFollowUp {
  note: string | null;
  orientations: string[];
  followUpOn: string | null;
  followUpAdvisorId: string | null;
  followUpAdvisorName: string | null;
  /** As PostgreSQL writes a timestamptz in JSON. */
  followUpDoneAt: string | null;
  updatedAt: string;
  updatedByName: string | null;
}

/** A follow-up to do on the day, with the appointment it follows. */
export interface AgendaDueFollowUp {
  bookingId: string;
  appointmentStartsAt: Date;
  deskAdvisorId: string | null;
  deskAdvisorName: string | null;
  attendeeName: string;
  attendeeEmail: string;
  attendeePhone: string | null;
  organisationId: string | null;
  organisationName: string;
  followUp: AgendaFollowUp;
}

export interface AgendaSlotRow {
  id: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  booked: number;
  sessionId: string;
  sessionStatus: 'scheduled' | 'cancelled';
  location: string;
  advisorId: string | null;
  advisorName: string | null;
  booking: AgendaBooking | null;
}

export interface AgendaWorkshopRow {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  capacity: number;
  confirmed: number;
  waitlisted: number;
  status: 'scheduled' | 'cancelled';
  bookings: AgendaBooking[];
}

/** A follow-up `f` as the agenda's JSON object. */
const followUpJson = `json_build_object('note', f.note, 'orientations', f.orientations, 'followUpOn', to_char(f.follow_up_on, 'YYYY-MM-DD'),
  'followUpAdvisorId', f.follow_up_advisor_id, 'followUpAdvisorName', (SELECT fa.name FROM users fa WHERE fa.id = f.follow_up_advisor_id),
  'followUpDoneAt', f.follow_up_done_at, 'updatedAt', f.updated_at, 'updatedByName', (SELECT ub.name FROM users ub WHERE ub.id = f.updated_by))`;

/** A booking `b` as the agenda's JSON object, with `extra` fields (`'name', expression, …`). */
const bookingJson = (extra = '') => `json_build_object(${extra}
  'id', b.id, 'status', b.status, 'attendeeName', b.attendee_name, 'attendeeEmail', b.attendee_email, 'attendeePhone', b.attendee_phone,
  'organisationName', b.organisation_name, 'organisationSiret', b.organisation_siret, 'organisationLegalForm', b.organisation_legal_form,
  'organisationPostcode', b.organisation_postcode, 'organisationCommuneCode', b.organisation_commune_code, 'topics', b.topics, 'message', b.message,
  'attendance', b.attendance, 'attendanceNote', b.attendance_note, 'attendanceRecordedAt', b.attendance_recorded_at,
  'attendanceRecordedById', b.attendance_recorded_by,
  'attendanceRecordedByName', CASE WHEN b.attendance_recorded_by IS NULL THEN NULL ELSE (SELECT r.name FROM users r WHERE r.id = b.attendance_recorded_by) END,
  'organisationId', b.organisation_id,
  'followUp', (SELECT ${followUpJson} FROM booking_follow_ups f WHERE f.booking_id = b.id))`;

/**
 * Two queries per day: the permanence slots of every desk (one row per slot) and the workshops
 * (bookings aggregated); and a fingerprint of every row they read.
 */
@Injectable()
export class AgendaRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The day's slots, of every desk. */
  slots(date: string): Promise<AgendaSlotRow[]> {
    return preparedQuery(
      this.dataSource,
      'agenda-slots',
      `SELECT sl.id, sl.starts_at AS "startsAt", sl.ends_at AS "endsAt", sl.capacity, sl.booked, s.id AS "sessionId",
              s.status AS "sessionStatus", s.location, u.id AS "advisorId", u.name AS "advisorName",
              CASE WHEN b.id IS NULL THEN NULL ELSE ${bookingJson()} END AS booking
       FROM permanence_sessions s
       JOIN slots sl ON sl.session_id = s.id
       JOIN desks d ON d.id = sl.desk_id
       LEFT JOIN users u ON u.id = d.advisor_id
       LEFT JOIN bookings b ON b.slot_id = sl.id AND b.status = 'confirmed'
       WHERE s.date = $1
       ORDER BY sl.starts_at, d.position, b.created_at`,
      [date],
    );
  }

  /** The workshops starting in [from, to), each with its confirmed and waiting registrations in order. */
  workshops(from: Date, to: Date): Promise<AgendaWorkshopRow[]> {
    return preparedQuery(
      this.dataSource,
      'agenda-workshops',
      `SELECT w.id, w.title, w.starts_at AS "startsAt", w.ends_at AS "endsAt", w.location, w.capacity, w.confirmed, w.waitlisted, w.status,
              coalesce((SELECT json_agg(${bookingJson("'waitlistPosition', b.position,")} ORDER BY b.status, b.position, b.created_at)
                        FROM (SELECT x.*, CASE WHEN x.status = 'waitlisted' THEN row_number() OVER (PARTITION BY x.status ORDER BY x.waitlist_seq) END AS position
                              FROM bookings x WHERE x.workshop_id = w.id AND x.status <> 'cancelled') b), '[]') AS bookings
       FROM workshops w
       WHERE w.starts_at >= $1 AND w.starts_at < $2
       ORDER BY w.starts_at, w.id`,
      [from, to],
    );
  }

  /** The follow-ups to do on the day (every advisor's), with the appointments they follow, by appointment. */
  followUpsDue(date: string): Promise<AgendaDueFollowUp[]> {
    return preparedQuery(
      this.dataSource,
      'agenda-follow-ups-due',
      `SELECT b.id AS "bookingId", sl.starts_at AS "appointmentStartsAt", d.advisor_id AS "deskAdvisorId", u.name AS "deskAdvisorName",
              b.attendee_name AS "attendeeName", b.attendee_email AS "attendeeEmail", b.attendee_phone AS "attendeePhone",
              b.organisation_id AS "organisationId", b.organisation_name AS "organisationName", ${followUpJson} AS "followUp"
       FROM booking_follow_ups f
       JOIN bookings b ON b.id = f.booking_id
       JOIN slots sl ON sl.id = b.slot_id
       JOIN desks d ON d.id = sl.desk_id
       LEFT JOIN users u ON u.id = d.advisor_id
       WHERE f.follow_up_on = $1
       ORDER BY sl.starts_at, b.id`,
      [date],
    );
  }

  /**
   * A fingerprint of the rows a day's agenda is built from — the day's sessions, desks, slots and
   * their bookings, the workshops starting in [from, to) and their registrations, and the staff
   * accounts (advisors' and recorders' names), the follow-ups of the day's bookings and those to do on the day
   * (with their bookings), and the legal forms' and orientations' lists (their labels): the id and row version (`xmin`) of every row, in id
   * order. A statement sees one snapshot, and a row version added since an earlier snapshot carries
   * the id of a transaction that snapshot did not see, so any insert, update or delete changes the
   * list; sorted, it does not depend on the plan (each pooled connection may plan the named
   * statement its own way). It moves whenever any agenda of that day can have changed, whoever
   * changed it. About 0.9 ms in PostgreSQL for a busy day; read only when the database's snapshot
   * moved since the day's rows were kept (see AgendaService.rowsOf).
   */
  async fingerprint(date: string, from: Date, to: Date): Promise<string> {
    const [row] = await preparedQuery<{ fingerprint: string }>(
      this.dataSource,
      'agenda-fingerprint',
      `WITH day_sessions AS (SELECT id, xmin FROM permanence_sessions WHERE date = $1),
            day_slots AS (SELECT sl.id, sl.xmin FROM slots sl JOIN day_sessions s ON s.id = sl.session_id),
            day_workshops AS (SELECT id, xmin FROM workshops WHERE starts_at >= $2 AND starts_at < $3)
       SELECT md5(concat_ws('|',
                (SELECT string_agg(id || ':' || xmin, ',' ORDER BY id) FROM day_sessions),
                (SELECT string_agg(d.id || ':' || d.xmin, ',' ORDER BY d.id) FROM desks d JOIN day_sessions s ON s.id = d.session_id),
                (SELECT string_agg(id || ':' || xmin, ',' ORDER BY id) FROM day_slots),
                (SELECT string_agg(b.id || ':' || b.xmin, ',' ORDER BY b.id) FROM bookings b JOIN day_slots sl ON sl.id = b.slot_id),
                (SELECT string_agg(id || ':' || xmin, ',' ORDER BY id) FROM day_workshops),
                (SELECT string_agg(b.id || ':' || b.xmin, ',' ORDER BY b.id) FROM bookings b JOIN day_workshops w ON w.id = b.workshop_id),
                (SELECT string_agg(id || ':' || xmin, ',' ORDER BY id) FROM users),
                (SELECT string_agg(code || ':' || xmin, ',' ORDER BY code) FROM legal_forms),
                (SELECT string_agg(f.booking_id || ':' || f.xmin, ',' ORDER BY f.booking_id)
                  FROM booking_follow_ups f JOIN bookings b ON b.id = f.booking_id JOIN day_slots sl ON sl.id = b.slot_id),
                (SELECT string_agg(f.booking_id || ':' || f.xmin || ':' || b.xmin || ':' || sl.xmin, ',' ORDER BY f.booking_id)
                  FROM booking_follow_ups f JOIN bookings b ON b.id = f.booking_id JOIN slots sl ON sl.id = b.slot_id WHERE f.follow_up_on = $1),
                (SELECT string_agg(code || ':' || xmin, ',' ORDER BY code) FROM orientations))) AS fingerprint`,
      [date, from, to],
    );
    return row.fingerprint;
  }

  /**
   * The local date (in `zone`) of the first confirmed booking starting at or after `from`: on the
   * advisor's desks and the workshops when `advisorId` is given (what their agenda shows), anywhere otherwise.
   */
  async nextBookedDate(from: Date, zone: string, advisorId: string | null): Promise<string | null> {
    const [row]: Array<{ date: string | null }> = await this.dataSource.query(
      `SELECT to_char(min(starts_at) AT TIME ZONE $2, 'YYYY-MM-DD') AS date FROM (
         (SELECT sl.starts_at FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN desks d ON d.id = sl.desk_id
          WHERE b.status = 'confirmed' AND sl.starts_at >= $1 AND ($3::uuid IS NULL OR d.advisor_id = $3) ORDER BY sl.starts_at LIMIT 1)
         UNION ALL
         (SELECT w.starts_at FROM bookings b JOIN workshops w ON w.id = b.workshop_id
          WHERE b.status = 'confirmed' AND w.starts_at >= $1 ORDER BY w.starts_at LIMIT 1)
       ) firsts`,
      [from, zone, advisorId],
    );
    return row?.date ?? null;
  }

  /** The first scheduled permanence on or after a local date, and its id. */
  async nextSession(date: string): Promise<{ id: string; date: string } | null> {
    const [row]: Array<{ id: string; date: string }> = await this.dataSource.query(
      `SELECT id, to_char(date, 'YYYY-MM-DD') AS date FROM permanence_sessions WHERE date >= $1 AND status = 'scheduled' ORDER BY date LIMIT 1`,
      [date],
    );
    return row ?? null;
  }
}
