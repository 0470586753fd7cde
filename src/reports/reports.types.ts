/** The period a report covers, as its local dates in the programme's zone. */
export interface ReportHeading {
  from: string;
  to: string;
  timeZone: string;
}

export interface AttendanceReport extends ReportHeading {
  figures: ReportFigures;
  rows: AttendanceRow[];
}

export interface ReportFigures {
  /** Scheduled sessions that have ended. */
  permanencesHeld: number;
  /** Scheduled sessions not ended yet (to come, or under way). */
  permanencesScheduled: number;
  permanencesCancelled: number;
  slotsOffered: number;
  slotsBooked: number;
  bookings: number;
  attended: number;
  /** Present over recorded attendance, for the bookings whose event has ended; null when none is recorded. */
  attendanceRate: number | null;
  noShows: number;
  excused: number;
  /** Confirmed bookings whose event has ended and whose attendance is not recorded yet. */
  attendanceUnrecorded: number;
  organisations: number;
  newOrganisations: number;
  byLegalForm: Array<{ code: string | null; label: string; bookings: number; organisations: number }>;
  byTopic: Array<{ code: string; label: string; bookings: number }>;
  byCommune: Array<{ commune: string; bookings: number; organisations: number }>;
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
}

export interface AttendanceRow {
  kind: 'permanence' | 'atelier';
  date: string;
  time: string;
  title: string;
  organisation: string;
  siret: string | null;
  legalForm: string | null;
  postcode: string | null;
  commune: string | null;
  /** Absent for whoever does not see attendees (`seesAttendees`). */
  attendeeName?: string;
  attendeeEmail?: string;
  topics: string;
  status: string;
  attendance: string;
}
