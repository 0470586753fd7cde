import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The booking a follow-up is about, as the rules need it. */
export interface FollowUpBooking {
  id: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  attendance: 'present' | 'absent' | 'excused' | null;
  isPermanence: boolean;
  anonymised: boolean;
  startsAt: Date;
  /** The advisor of the booking's desk (null for a desk without one, or a workshop). */
  deskAdvisorId: string | null;
  organisationId: string | null;
  organisationName: string;
  attendeeName: string;
}

export interface FollowUpRow {
  bookingId: string;
  note: string | null;
  orientations: string[];
  /** A local date, `YYYY-MM-DD`. */
  followUpOn: string | null;
  followUpAdvisorId: string | null;
  followUpAdvisorName: string | null;
  followUpDoneAt: Date | null;
  createdById: string | null;
  createdByName: string | null;
  createdAt: Date;
  updatedById: string | null;
  updatedByName: string | null;
  updatedAt: Date;
}

export interface FollowUpValues {
  note: string | null;
  orientations: string[];
  followUpOn: string | null;
  followUpAdvisorId: string | null;
  followUpDoneAt: Date | null;
}

const BOOKING = `SELECT b.id, b.status, b.attendance, b.slot_id IS NOT NULL AS "isPermanence", b.anonymised_at IS NOT NULL AS anonymised,
         coalesce(sl.starts_at, w.starts_at) AS "startsAt", d.advisor_id AS "deskAdvisorId",
         b.organisation_id AS "organisationId", b.organisation_name AS "organisationName", b.attendee_name AS "attendeeName"
  FROM bookings b LEFT JOIN slots sl ON sl.id = b.slot_id LEFT JOIN desks d ON d.id = sl.desk_id LEFT JOIN workshops w ON w.id = b.workshop_id
  WHERE b.id = $1`;

const ROW = `SELECT f.booking_id AS "bookingId", f.note, f.orientations, to_char(f.follow_up_on, 'YYYY-MM-DD') AS "followUpOn",
         f.follow_up_advisor_id AS "followUpAdvisorId", fa.name AS "followUpAdvisorName", f.follow_up_done_at AS "followUpDoneAt",
         f.created_by AS "createdById", cb.name AS "createdByName", f.created_at AS "createdAt",
         f.updated_by AS "updatedById", ub.name AS "updatedByName", f.updated_at AS "updatedAt"
  FROM booking_follow_ups f
  LEFT JOIN users fa ON fa.id = f.follow_up_advisor_id LEFT JOIN users cb ON cb.id = f.created_by LEFT JOIN users ub ON ub.id = f.updated_by
  WHERE f.booking_id = $1`;

/** One follow-up per booking (table `booking_follow_ups`, migration 1764840000000). */
@Injectable()
export class FollowUpsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async booking(id: string, manager: EntityManager = this.dataSource.manager): Promise<FollowUpBooking | null> {
    const [row] = await manager.query<FollowUpBooking[]>(BOOKING, [id]);
    return row ?? null;
  }

  /**
   * The booking, its row locked until the transaction ends: two writers of one follow-up take turns,
   * and attendance cannot change under a writer (AttendanceService updates the same row).
   */
  async lockBooking(id: string, manager: EntityManager): Promise<FollowUpBooking | null> {
    const [row] = await manager.query<FollowUpBooking[]>(`${BOOKING} FOR NO KEY UPDATE OF b`, [id]);
    return row ?? null;
  }

  async find(bookingId: string, manager: EntityManager = this.dataSource.manager): Promise<FollowUpRow | null> {
    const [row] = await manager.query<FollowUpRow[]>(ROW, [bookingId]);
    return row ?? null;
  }

  /** `now` and `by` are the writer's; the first write also sets created_by/at. */
  async insert(bookingId: string, values: FollowUpValues, by: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO booking_follow_ups (booking_id, note, orientations, follow_up_on, follow_up_advisor_id, follow_up_done_at, created_by, created_at, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)`,
      [bookingId, values.note, values.orientations, values.followUpOn, values.followUpAdvisorId, values.followUpDoneAt, by, now],
    );
  }

  async update(bookingId: string, values: FollowUpValues, by: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE booking_follow_ups SET note = $2, orientations = $3, follow_up_on = $4, follow_up_advisor_id = $5, follow_up_done_at = $6,
              updated_by = $7, updated_at = $8
       WHERE booking_id = $1`,
      [bookingId, values.note, values.orientations, values.followUpOn, values.followUpAdvisorId, values.followUpDoneAt, by, now],
    );
  }

  /** Marks the follow-up to do done (at `doneAt`) or to do again (null); not an edit of the record, so updated_by/at stay. */
  async setDone(bookingId: string, doneAt: Date | null, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE booking_follow_ups SET follow_up_done_at = $2 WHERE booking_id = $1`, [bookingId, doneAt]);
  }
}
