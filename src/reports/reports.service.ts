import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { seesAttendees, StaffUser } from '../auth/staff-user';
import { ListLabels, ListsService } from '../settings/lists.service';
import { addDays, addMonths, todayIn, wallTimeToInstant } from '../calendar';
import { BilanService } from '../bilan/bilan.service';
import { addBilanSheets } from '../bilan/bilan.xlsx';
import { Clock } from '../common/clock';
import { checkPeriod } from '../common/period';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { attendanceCsv, AttendanceWorkbook, ReportFile } from './reports.export';
import { Territory } from '../territory/territory';
import { AreaCounts, AreaFigures, AreaName, Areas, AttendanceReport, AttendanceRow, ReportFigures, ReportHeading } from './reports.types';
import { Area, BookingTotals, CommuneCount, FigureRows, ReportRow, ReportScope, ReportsRepository, WorkshopFigures } from './reports.repository';

const MAX_RANGE_YEARS = 5;

const STATUS_LABELS = { confirmed: 'confirmée', waitlisted: 'liste d’attente' } as const;
const ATTENDANCE_LABELS = { present: 'présent', absent: 'absent', excused: 'excusé' } as const;
const UNRECORDED = 'non renseignée';
const UNKNOWN_LEGAL_FORM = 'Non renseignée';
const UNKNOWN_COMMUNE = 'Commune non renseignée';
const AREA_LABELS: Record<Area, string> = { in: 'dans la Métropole', out: 'hors Métropole', unknown: 'commune non renseignée' };

/** What the programme did over a period, for the metropolis: figures computed in SQL, and one row per booking. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
    private readonly lists: ListsService,
    private readonly territory: Territory,
    private readonly bilans: BilanService,
  ) {}

  /** The report as `staff` may read it: a viewer's rows name no attendee. */
  async attendance(staff: StaffUser, from?: string, to?: string): Promise<AttendanceReport> {
    const scope = this.scope(from, to);
    return this.inOneSnapshot(scope, staff, async (rows, figures) => ({ ...heading(scope), figures: await figures, rows }));
  }

  async attendanceFile(staff: StaffUser, from: string | undefined, to: string | undefined, format: 'csv' | 'xlsx'): Promise<ReportFile> {
    if (format === 'csv') return attendanceCsv(await this.attendance(staff, from, to), seesAttendees(staff));
    const scope = this.scope(from, to);
    return this.inOneSnapshot(scope, staff, async (rows, figures, manager, labels) => {
      // The bilan's sheets too: the same period and snapshot, computed by PostgreSQL with the figures.
      const bilan = this.bilans.bilanIn(manager, staff, scope.fromDate, scope.toDate, labels);
      // Awaited later, across turns of the event loop: a failure meanwhile is not unhandled, and the transaction waits for it.
      const bilanSettled = bilan.catch(() => undefined);
      const workbook = new AttendanceWorkbook(heading(scope), seesAttendees(staff));
      // The rows sheet first (most of the work), while PostgreSQL computes the figures.
      await workbook.addRows(rows).finally(() => bilanSettled);
      const sheets = await bilan;
      workbook.addSheets((book) => addBilanSheets(book, sheets, 'Bilan - '));
      return workbook.finish(await figures);
    });
  }

  /**
   * Runs `use` with the period's rows and its figures (still being computed: `use` may work on the
   * rows meanwhile), inside one REPEATABLE READ transaction so that both describe the same bookings.
   */
  private async inOneSnapshot<T>(
    scope: ReportScope,
    staff: StaffUser,
    use: (rows: AttendanceRow[], figures: Promise<ReportFigures>, manager: EntityManager, labels: ListLabels) => Promise<T>,
  ): Promise<T> {
    const withAttendees = seesAttendees(staff);
    const now = this.clock.now();
    // Before the transaction: the embedded database has one connection, which the transaction holds.
    const labels = await this.lists.labels();
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await this.reports.selectScope(scope, this.territory.metropolisCommuneCodes(), manager);
      const rows = (await this.reports.rows(PROGRAMME_TIME_ZONE, manager)).map((row) => attendanceRow(row, withAttendees, labels, this.territory));
      const figures = this.reports.figures(scope, PROGRAMME_TIME_ZONE, now, manager).then((found) => reportFigures(found, labels, this.territory));
      // `use` awaits it later, across turns of the event loop: a failure meanwhile is not unhandled.
      const settled = figures.then(
        () => undefined,
        () => undefined,
      );
      // The transaction ends only once `figures` settled, also when `use` fails first.
      return use(rows, figures, manager, labels).finally(() => settled);
    });
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

function heading(scope: ReportScope): ReportHeading {
  return { from: scope.fromDate, to: scope.toDate, timeZone: PROGRAMME_TIME_ZONE };
}

function reportFigures(
  { sessions, bookings, byLegalForm, byTopic, byCommune, workshops }: FigureRows,
  labels: ListLabels,
  territory: Territory,
): ReportFigures {
  return {
    metropolis: { ...territory.metropolis(), communes: territory.metropolisCommuneCodes().length },
    permanencesHeld: sessions.held,
    permanencesScheduled: sessions.scheduled,
    permanencesCancelled: sessions.cancelled,
    slotsOffered: sessions.slotsOffered,
    ...areaFigures(bookings.all),
    byArea: areas((area) => areaFigures(bookings[area])),
    byLegalForm: byLegalForm.map((row) => ({
      code: row.code,
      label: labels.legalForm(row.code) ?? UNKNOWN_LEGAL_FORM,
      bookings: row.bookings,
      organisations: row.organisations,
      areas: areas((area) => row.areas[area] ?? NO_COUNTS),
    })),
    byTopic: byTopic.map((row) => ({
      code: row.code,
      label: labels.topic(row.code),
      bookings: row.bookings,
      organisations: row.organisations,
      areas: areas((area) => row.areas[area] ?? NO_COUNTS),
    })),
    byCommune: communeFigures(byCommune, territory),
    workshops: workshops.map(workshopFigures),
  };
}

const NO_COUNTS: AreaCounts = { bookings: 0, organisations: 0 };

const AREA_NAMES: Record<Area, AreaName> = { in: 'inMetropolis', out: 'outsideMetropolis', unknown: 'unknown' };

function areas<T>(of: (area: Area) => T): Areas<T> {
  return { inMetropolis: of('in'), outsideMetropolis: of('out'), unknown: of('unknown') };
}

function areaFigures(totals: BookingTotals | undefined): AreaFigures {
  const found = totals ?? { bookings: 0, slotsBooked: 0, present: 0, absent: 0, excused: 0, unrecorded: 0, organisations: 0, newOrganisations: 0 };
  const recorded = found.present + found.absent + found.excused;
  return {
    bookings: found.bookings,
    slotsBooked: found.slotsBooked,
    attended: found.present,
    attendanceRate: recorded === 0 ? null : Math.round((found.present / recorded) * 10_000) / 10_000,
    noShows: found.absent,
    excused: found.excused,
    attendanceUnrecorded: found.unrecorded,
    organisations: found.organisations,
    newOrganisations: found.newOrganisations,
  };
}

const AREA_ORDER: AreaName[] = ['inMetropolis', 'outsideMetropolis', 'unknown'];
const collator = new Intl.Collator('fr');

/** Named from Etalab's data; a code it no longer knows (a commune merged since) is shown as such. */
function communeFigures(rows: CommuneCount[], territory: Territory): ReportFigures['byCommune'] {
  return rows
    .map((row) => ({
      code: row.code,
      commune: row.code === null ? UNKNOWN_COMMUNE : (territory.commune(row.code)?.name ?? `Commune ${row.code}`),
      area: AREA_NAMES[row.area],
      bookings: row.bookings,
      organisations: row.organisations,
    }))
    .sort((a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) || b.bookings - a.bookings || collator.compare(a.commune, b.commune));
}

function workshopFigures(workshop: WorkshopFigures): ReportFigures['workshops'][number] {
  return {
    id: workshop.id,
    title: workshop.title,
    date: workshop.date,
    time: workshop.time,
    status: workshop.status,
    seats: workshop.seats,
    registered: workshop.registered,
    waitlisted: workshop.waitlisted,
    attended: workshop.attended,
    areas: areas((area) => workshop.areas[area] ?? { registered: 0, attended: 0 }),
  };
}

function attendanceRow(row: ReportRow, withAttendees: boolean, labels: ListLabels, territory: Territory): AttendanceRow {
  const commune = row.communeCode ? territory.commune(row.communeCode) : null;
  return {
    kind: row.kind,
    date: row.date,
    time: row.time,
    title: row.title,
    organisation: row.organisationName,
    siret: row.siret,
    legalForm: labels.legalForm(row.legalForm),
    postcode: row.postcode,
    commune: commune?.name ?? (row.communeCode ? `Commune ${row.communeCode}` : row.commune),
    area: AREA_LABELS[row.area],
    ...(withAttendees ? { attendeeName: row.attendeeName, attendeeEmail: row.attendeeEmail } : {}),
    topics: row.topics.map(labels.topic).join(', '),
    status: STATUS_LABELS[row.status],
    attendance: row.attendance === null ? UNRECORDED : ATTENDANCE_LABELS[row.attendance],
  };
}
