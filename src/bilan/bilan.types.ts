/** Where an organisation's commune lies: in the metropolis, outside it, or not known. */
export interface TerritorySplit {
  inMetropolis: number;
  outside: number;
  unknown: number;
}

export interface BilanOrganisations extends TerritorySplit {
  /** Distinct organisations (register entries, merges followed) with a non-cancelled booking in the period. */
  total: number;
  /** Those whose first non-cancelled booking ever is in the period. */
  new: number;
}

export interface BilanPermanences {
  /** Scheduled sessions that have ended (the reports' rule). */
  held: number;
  cancelled: number;
  /** Scheduled sessions not ended yet. */
  scheduled: number;
}

export interface BilanMonth {
  /** YYYY-MM, the event's month in the programme's zone. */
  month: string;
  permanenceBookings: number;
  permanenceAttended: number;
  workshopRegistrations: number;
  workshopAttended: number;
}

export interface BilanCount {
  code: string | null;
  label: string;
  bookings: number;
  organisations: number;
}

export interface BilanCommune {
  /** INSEE code. */
  code: string;
  name: string;
  inMetropolis: boolean;
  bookings: number;
  organisations: number;
}

export interface BilanCommunes {
  /** Every commune of the period, most organisations first. */
  list: BilanCommune[];
  bookings: TerritorySplit;
  organisations: TerritorySplit;
}

export interface BilanOrientations {
  /** Orientations given (one booking may give several). */
  given: number;
  /** Bookings whose follow-up gave at least one. */
  bookings: number;
  organisations: number;
  byOrientation: BilanCount[];
}

export interface BilanWorkshop {
  id: string;
  title: string;
  date: string;
  time: string;
  status: 'scheduled' | 'cancelled';
  seats: number;
  registered: number;
  waitlisted: number;
  attended: number;
}

export interface SatisfactionFigures {
  responses: number;
  /** Attended bookings (present, event ended) of the period. */
  attended: number;
  /**
   * Questionnaires sent: bookings of the period asked the satisfaction question (only those present,
   * not opted out, whose attendance was recorded within 7 days are asked).
   */
  asked: number;
  /** responses ÷ asked, 0 to 1; null when nobody was asked. */
  responseRate: number | null;
  /** 1 to 5, two decimals; null without a response. */
  mean: number | null;
}

export interface BilanSatisfaction extends SatisfactionFigures {
  /** Responses per score, 1 to 5 in order. */
  distribution: Array<{ score: number; responses: number }>;
  byKind: Array<SatisfactionFigures & { kind: 'permanence' | 'atelier' }>;
  byWorkshop: Array<SatisfactionFigures & { id: string; title: string; date: string }>;
  /** Admins only: absent (not empty) for the viewer. Never names the attendee. */
  comments?: Array<{ date: string; kind: 'permanence' | 'atelier'; title: string; score: number; comment: string }>;
}

/** One plain French sentence per section, written from its figures. */
export interface BilanSentences {
  organisations: string;
  permanences: string;
  months: string;
  topics: string;
  legalForms: string;
  communes: string;
  orientations: string;
  workshops: string;
  satisfaction: string;
}

export interface Bilan {
  from: string;
  to: string;
  timeZone: string;
  /** The metropolis as Etalab names it. */
  metropolis: string;
  organisations: BilanOrganisations;
  permanences: BilanPermanences;
  months: BilanMonth[];
  topics: BilanCount[];
  legalForms: BilanCount[];
  communes: BilanCommunes;
  orientations: BilanOrientations;
  workshops: BilanWorkshop[];
  satisfaction: BilanSatisfaction;
  sentences: BilanSentences;
}
