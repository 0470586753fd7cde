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

/** The figures of the bookings of one area (or of all of them), as ReportFigures names them. */
export interface AreaFigures {
  bookings: number;
  slotsBooked: number;
  attended: number;
  attendanceRate: number | null;
  noShows: number;
  excused: number;
  attendanceUnrecorded: number;
  organisations: number;
  newOrganisations: number;
}

export interface AreaCounts {
  bookings: number;
  organisations: number;
}

/**
 * A figure split « dans la Métropole » (a commune of the metropolis' EPCI), « hors Métropole »
 * (another commune) and « commune non renseignée » (none known: no postcode, or a postcode of several
 * communes before one was chosen).
 */
export interface Areas<T> {
  inMetropolis: T;
  outsideMetropolis: T;
  unknown: T;
}

export type AreaName = keyof Areas<unknown>;

export interface ReportFigures {
  /** The metropolis whose communes are « dans la Métropole » (METROPOLIS_EPCI_SIREN). */
  metropolis: { siren: string; name: string; communes: number };
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
  /** The booking figures above, for each area; they add up to the totals (an organisation whose bookings name communes of two areas counts in both). */
  byArea: Areas<AreaFigures>;
  byLegalForm: Array<{ code: string | null; label: string; bookings: number; organisations: number; areas: Areas<AreaCounts> }>;
  byTopic: Array<{ code: string; label: string; bookings: number; organisations: number; areas: Areas<AreaCounts> }>;
  /** In the metropolis first, then outside, then « Commune non renseignée »; by bookings, then name. */
  byCommune: Array<{ code: string | null; commune: string; area: AreaName; bookings: number; organisations: number }>;
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
    /** The confirmed registrations and the present, by where the organisations are. */
    areas: Areas<{ registered: number; attended: number }>;
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
  /** « dans la Métropole », « hors Métropole » or « commune non renseignée ». */
  area: string;
  /** Absent for whoever does not see attendees (`seesAttendees`). */
  attendeeName?: string;
  attendeeEmail?: string;
  topics: string;
  status: string;
  attendance: string;
}
