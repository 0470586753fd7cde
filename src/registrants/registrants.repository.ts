import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SheetEvent {
  id: string;
  title: string | null;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  location: string;
  status: string;
}

export interface Registrant {
  status: 'confirmed' | 'waitlisted';
  waitlistPosition: number | null;
  attendeeName: string;
  attendeeEmail: string;
  attendeePhone: string | null;
  organisationName: string;
  organisationSiret: string | null;
  organisationLegalForm: string | null;
  organisationPostcode: string | null;
  organisationCommuneCode: string | null;
  createdAt: Date;
  /** The staff member who took the consent orally; null when the person registered online. */
  consentGivenTo: string | null;
}

export interface SessionAttendee {
  startsAt: Date;
  attendeeName: string;
  organisationName: string;
  advisorId: string | null;
  advisorName: string | null;
}

export interface SessionSlotRow {
  slotId: string;
  startsAt: Date;
  endsAt: Date;
  advisorName: string | null;
  bookingId: string | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
  attendeePhone: string | null;
  organisationName: string | null;
  message: string | null;
  consentGivenTo: string | null;
}

/** What the registrant lists and the sign-in sheets read: people, in the order they are called. */
@Injectable()
export class RegistrantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async workshop(id: string): Promise<SheetEvent | null> {
    const [row]: SheetEvent[] = await this.dataSource.query(
      `SELECT id, title, starts_at AS "startsAt", ends_at AS "endsAt", time_zone AS "timeZone", location, status FROM workshops WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** Confirmed registrations in the order they came, then the waitlist in its order. */
  workshopRegistrants(workshopId: string): Promise<Registrant[]> {
    return this.dataSource.query(
      `SELECT b.status, CASE WHEN b.status = 'waitlisted' THEN row_number() OVER (PARTITION BY b.status ORDER BY b.waitlist_seq) END::int AS "waitlistPosition",
              b.attendee_name AS "attendeeName", b.attendee_email AS "attendeeEmail", b.attendee_phone AS "attendeePhone",
              b.organisation_name AS "organisationName", b.organisation_siret AS "organisationSiret",
              b.organisation_legal_form AS "organisationLegalForm", b.organisation_postcode AS "organisationPostcode",
              b.organisation_commune_code AS "organisationCommuneCode", b.created_at AS "createdAt", u.name AS "consentGivenTo"
       FROM bookings b LEFT JOIN users u ON u.id = b.consent_given_to
       WHERE b.workshop_id = $1 AND b.status IN ('confirmed', 'waitlisted')
       ORDER BY b.status = 'waitlisted', b.waitlist_seq NULLS FIRST, b.created_at, b.id`,
      [workshopId],
    );
  }

  async session(id: string): Promise<SheetEvent | null> {
    const [row]: SheetEvent[] = await this.dataSource.query(
      `SELECT id, NULL AS title, starts_at AS "startsAt", ends_at AS "endsAt", time_zone AS "timeZone", location, status FROM permanence_sessions WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The confirmed bookings of a session, by time then desk; only one advisor's desk when `advisorId` is given. */
  sessionAttendees(sessionId: string, advisorId: string | null): Promise<SessionAttendee[]> {
    return this.dataSource.query(
      `SELECT sl.starts_at AS "startsAt", b.attendee_name AS "attendeeName", b.organisation_name AS "organisationName",
              d.advisor_id AS "advisorId", u.name AS "advisorName"
       FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN desks d ON d.id = sl.desk_id LEFT JOIN users u ON u.id = d.advisor_id
       WHERE d.session_id = $1 AND b.status = 'confirmed' AND ($2::uuid IS NULL OR d.advisor_id = $2)
       ORDER BY sl.starts_at, d.position, b.created_at, b.id`,
      [sessionId, advisorId],
    );
  }

  /** Every slot of a session (of one advisor's desks when `advisorId` is given) with its confirmed booking, if any. */
  sessionSlots(sessionId: string, advisorId: string | null): Promise<SessionSlotRow[]> {
    return this.dataSource.query(
      `SELECT sl.id AS "slotId", sl.starts_at AS "startsAt", sl.ends_at AS "endsAt", u.name AS "advisorName",
              b.id AS "bookingId", b.attendee_name AS "attendeeName", b.attendee_email AS "attendeeEmail", b.attendee_phone AS "attendeePhone",
              b.organisation_name AS "organisationName", b.message, cu.name AS "consentGivenTo"
       FROM slots sl JOIN desks d ON d.id = sl.desk_id LEFT JOIN users u ON u.id = d.advisor_id
       LEFT JOIN bookings b ON b.slot_id = sl.id AND b.status = 'confirmed' LEFT JOIN users cu ON cu.id = b.consent_given_to
       WHERE d.session_id = $1 AND ($2::uuid IS NULL OR d.advisor_id = $2)
       ORDER BY sl.starts_at, d.position, b.created_at`,
      [sessionId, advisorId],
    );
  }
}
