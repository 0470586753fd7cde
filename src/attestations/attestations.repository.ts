import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A booking as its certificate needs it: who, what, the attendance, and the reference once issued. */
export interface CertifiedBooking {
  id: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  workshopId: string | null;
  attendeeName: string;
  organisationName: string;
  attendance: 'present' | 'absent' | 'excused' | null;
  anonymisedAt: Date | null;
  manageTokenHash: Buffer;
  /** The workshop's, null for a permanence booking. */
  title: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  location: string | null;
  /** Null until the certificate is first issued. */
  reference: string | null;
}

@Injectable()
export class AttestationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async booking(id: string): Promise<CertifiedBooking | null> {
    const rows: CertifiedBooking[] = await this.dataSource.query(
      `SELECT b.id, b.status, b.workshop_id AS "workshopId", b.attendee_name AS "attendeeName", b.organisation_name AS "organisationName",
              b.attendance, b.anonymised_at AS "anonymisedAt", b.manage_token_hash AS "manageTokenHash",
              w.title, w.starts_at AS "startsAt", w.ends_at AS "endsAt", w.location, c.reference
       FROM bookings b
       LEFT JOIN workshops w ON w.id = b.workshop_id
       LEFT JOIN attendance_certificates c ON c.booking_id = b.id
       WHERE b.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The booking's reference, written the first time: two first downloads at once both get the one
   * that was committed (the second insert waits for the first, then does nothing, and the read that
   * follows, a statement of its own, sees it).
   */
  async issue(bookingId: string, year: string, now: Date, manager: EntityManager): Promise<string> {
    const inserted: Array<{ reference: string }> = await manager.query(
      `INSERT INTO attendance_certificates (booking_id, number, reference, issued_at)
       SELECT $1, n, 'ATT-' || $2::text || '-' || lpad(n::text, greatest(5, length(n::text)), '0'), $3
       FROM (SELECT nextval('attendance_certificate_numbers') AS n) next
       ON CONFLICT (booking_id) DO NOTHING
       RETURNING reference`,
      [bookingId, year, now],
    );
    if (inserted[0]) return inserted[0].reference;
    const existing: Array<{ reference: string }> = await manager.query(`SELECT reference FROM attendance_certificates WHERE booking_id = $1`, [bookingId]);
    return existing[0].reference;
  }
}
