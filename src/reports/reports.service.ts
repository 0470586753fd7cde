import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEGAL_FORMS, TOPICS } from '../bookings/booking-options';
import { addDays, addMonths, instantToLocal, todayIn, wallTimeToInstant } from '../calendar';
import { Clock } from '../common/clock';
import { checkPeriod } from '../common/period';
import { PROGRAMME_TIME_ZONE } from '../permanences/permanences.service';
import { attendanceCsv, attendanceXlsx, ReportFile } from './reports.export';
import { ReportRow, ReportScope, ReportsRepository, WorkshopFigures } from './reports.repository';

const MAX_RANGE_YEARS = 5;

const STATUS_LABELS = { confirmed: 'confirmée', waitlisted: 'liste d’attente' } as const;
const ATTENDANCE_LABELS = { present: 'présent', absent: 'absent', excused: 'excusé' } as const;
const UNRECORDED = 'non renseignée';
const UNKNOWN_LEGAL_FORM = 'Non renseignée';

export interface AttendanceReport {
  from: string;
  to: string;
  timeZone: string;
  figures: ReportFigures;
  rows: AttendanceRow[];
}

export interface ReportFigures {
  permanencesHeld: number;
  permanencesCancelled: number;
  slotsOffered: number;
  slotsBooked: number;
  bookings: number;
  attended: number;
  attendanceRate: number | null;
  noShows: number;
  excused: number;
  organisations: number;
  newOrganisations: number;
  byLegalForm: Array<{ code: string | null; label: string; bookings: number; organisations: number }>;
  byTopic: Array<{ code: string; label: string; bookings: number }>;
  byCommune: Array<{ commune: string; bookings: number; organisations: number }>;
  workshops: Array<{ id: string; title: string; date: string; time: string; status: 'scheduled' | 'cancelled'; seats: number; registered: number; waitlisted: number; attended: number }>;
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
  attendeeName: string;
  attendeeEmail: string;
  topics: string;
  status: string;
  attendance: string;
}

/** What the programme did over a period, for the metropolis: figures computed in SQL, and one row per booking. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async attendance(from?: string, to?: string): Promise<AttendanceReport> {
    const scope = this.scope(from, to);
    // One snapshot for every query, so that the figures and the rows describe the same bookings.
    const data = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await this.reports.selectScope(scope, manager);
      return {
        sessions: await this.reports.sessionTotals(scope, manager),
        bookings: await this.reports.bookingTotals(scope, manager),
        byLegalForm: await this.reports.byLegalForm(manager),
        byTopic: await this.reports.byTopic(manager),
        byCommune: await this.reports.byCommune(manager),
        workshops: await this.reports.workshops(scope, manager),
        rows: await this.reports.rows(manager),
      };
    });
    const { sessions, bookings } = data;
    const recorded = bookings.present + bookings.absent + bookings.excused;
    return {
      from: scope.fromDate,
      to: scope.toDate,
      timeZone: PROGRAMME_TIME_ZONE,
      figures: {
        permanencesHeld: sessions.held,
        permanencesCancelled: sessions.cancelled,
        slotsOffered: sessions.slotsOffered,
        slotsBooked: bookings.slotsBooked,
        bookings: bookings.bookings,
        attended: bookings.present,
        attendanceRate: recorded === 0 ? null : Math.round((bookings.present / recorded) * 10_000) / 10_000,
        noShows: bookings.absent,
        excused: bookings.excused,
        organisations: bookings.organisations,
        newOrganisations: bookings.newOrganisations,
        byLegalForm: data.byLegalForm.map((row) => ({ ...row, label: legalFormLabel(row.code) })),
        byTopic: data.byTopic.map((row) => ({ code: row.code, label: topicLabel(row.code), bookings: row.bookings })),
        byCommune: data.byCommune,
        workshops: data.workshops.map(workshopFigures),
      },
      rows: data.rows.map(attendanceRow(localTimes())),
    };
  }

  async attendanceFile(from: string | undefined, to: string | undefined, format: 'csv' | 'xlsx'): Promise<ReportFile> {
    const report = await this.attendance(from, to);
    return format === 'csv' ? attendanceCsv(report) : attendanceXlsx(report);
  }

  /** [from, to] in local dates (default: the year so far), at most five years, and the instants bounding it. */
  private scope(from?: string, to?: string): ReportScope {
    const today = todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const fromDate = from ?? `${today.slice(0, 4)}-01-01`;
    const toDate = to ?? today;
    checkPeriod(fromDate, toDate, addDays(addMonths(fromDate, 12 * MAX_RANGE_YEARS), -1), `${MAX_RANGE_YEARS} ans`);
    return {
      fromDate,
      toDate,
      fromInstant: wallTimeToInstant(fromDate, '00:00', PROGRAMME_TIME_ZONE),
      toInstant: wallTimeToInstant(addDays(toDate, 1), '00:00', PROGRAMME_TIME_ZONE),
    };
  }
}

function legalFormLabel(code: string | null): string {
  if (code === null) return UNKNOWN_LEGAL_FORM;
  return LEGAL_FORMS[code as keyof typeof LEGAL_FORMS] ?? code;
}

function topicLabel(code: string): string {
  return TOPICS[code as keyof typeof TOPICS] ?? code;
}

function workshopFigures(workshop: WorkshopFigures): ReportFigures['workshops'][number] {
  const { date, time } = instantToLocal(new Date(workshop.startsAt), PROGRAMME_TIME_ZONE);
  return {
    id: workshop.id,
    title: workshop.title,
    date,
    time,
    status: workshop.status,
    seats: workshop.seats,
    registered: workshop.registered,
    waitlisted: workshop.waitlisted,
    attended: workshop.attended,
  };
}

/**
 * An instant's local date and time, each distinct instant worked out once: a year's rows share a few
 * thousand start times (every desk's slots start together), and luxon's zone conversion for each of
 * 10,000 rows was the largest single cost of the report.
 */
function localTimes(): (instant: Date) => { date: string; time: string } {
  const known = new Map<number, { date: string; time: string }>();
  return (instant) => {
    let local = known.get(instant.getTime());
    if (!local) {
      local = instantToLocal(instant, PROGRAMME_TIME_ZONE);
      known.set(instant.getTime(), local);
    }
    return local;
  };
}

const attendanceRow = (localOf: ReturnType<typeof localTimes>) => (row: ReportRow): AttendanceRow => {
  const { date, time } = localOf(new Date(row.startsAt));
  return {
    kind: row.kind,
    date,
    time,
    title: row.title,
    organisation: row.organisationName,
    siret: row.siret,
    legalForm: row.legalForm === null ? null : legalFormLabel(row.legalForm),
    postcode: row.postcode,
    commune: row.commune,
    attendeeName: row.attendeeName,
    attendeeEmail: row.attendeeEmail,
    topics: row.topics.map(topicLabel).join(', '),
    status: STATUS_LABELS[row.status],
    attendance: row.attendance === null ? UNRECORDED : ATTENDANCE_LABELS[row.attendance],
  };
};
