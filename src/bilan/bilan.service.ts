import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { seesAttendees, StaffUser } from '../auth/staff-user';
import { addDays, addMonths, todayIn, wallTimeToInstant } from '../calendar';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { Clock } from '../common/clock';
import { checkPeriod } from '../common/period';
import { AppConfig } from '../config/app-config';
import { ListLabels, ListsService } from '../settings/lists.service';
import { Territory } from '../territory/territory';
import { ChartRenderer } from './chart-renderer';
import { accessibleSvg, bilanCharts, Chart, vegaLiteSpec } from './bilan-charts';
import { bilanPdf } from './bilan.pdf';
import { BilanRows, BilanScope, BilanRepository } from './bilan.repository';
import { bilanSentences } from './bilan-text';
import { bilanWorkbook } from './bilan.xlsx';
import type { Bilan, BilanCount, BilanMonth, BilanSentences, SatisfactionFigures } from './bilan.types';

const MAX_RANGE_YEARS = 5;
const UNKNOWN_LEGAL_FORM = 'Non renseignée';

export interface BilanFile {
  content: Buffer;
  contentType: string;
  filename: string;
}

/** A section's chart, drawn: null when the section has nothing to draw. */
export interface DrawnChart {
  chart: Chart;
  svg: string | null;
}

export type DrawnCharts = Record<keyof BilanSentences, DrawnChart>;

/**
 * The metropolis' yearly bilan: the figures of a period by section (SQL aggregates, one snapshot),
 * a French sentence and a chart each, as JSON, a page, a PDF and a workbook. Satisfaction comments
 * are read for admins only: the viewer's bilan never holds them.
 */
@Injectable()
export class BilanService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bilans: BilanRepository,
    private readonly clock: Clock,
    private readonly lists: ListsService,
    private readonly territory: Territory,
    private readonly renderer: ChartRenderer,
    private readonly config: AppConfig,
  ) {}

  /** The bilan of [from, to] (default: this calendar year) as `staff` may read it. */
  async bilan(staff: StaffUser, from?: string, to?: string): Promise<Bilan> {
    const scope = this.scope(from, to);
    // Before the transaction: the embedded database has one connection, which the transaction holds.
    const labels = await this.lists.labels();
    return this.dataSource.transaction('REPEATABLE READ', (manager) => this.read(scope, staff, labels, manager));
  }

  /**
   * The bilan of [from, to] read with `manager`, in the caller's transaction (the reports' workbook:
   * the same snapshot as its rows, computed by PostgreSQL while they are written).
   */
  bilanIn(manager: EntityManager, staff: StaffUser, from: string, to: string, labels: ListLabels): Promise<Bilan> {
    return this.read(this.scope(from, to), staff, labels, manager);
  }

  private async read(scope: BilanScope, staff: StaffUser, labels: ListLabels, manager: EntityManager): Promise<Bilan> {
    const now = this.clock.now();
    const [rows, comments] = await Promise.all([
      this.bilans.figures(scope, PROGRAMME_TIME_ZONE, now, this.territory.metropolisCommuneCodes(), manager),
      seesAttendees(staff) ? this.bilans.comments(scope, PROGRAMME_TIME_ZONE, now, manager) : undefined,
    ]);
    const figures = this.figures(scope, rows, labels);
    if (comments) figures.satisfaction.comments = comments;
    return { ...figures, sentences: bilanSentences(figures) };
  }

  /** Each section's chart as accessible SVG, rendered off the event loop. */
  async draw(bilan: Bilan): Promise<DrawnCharts> {
    const charts = bilanCharts(bilan);
    const keys = Object.keys(charts) as Array<keyof BilanSentences>;
    const drawable = keys.filter((key) => charts[key].categories.length > 0);
    const svgs = await this.renderer.render(drawable.map((key) => vegaLiteSpec(charts[key])));
    const drawn = {} as DrawnCharts;
    for (const key of keys) {
      const index = drawable.indexOf(key);
      drawn[key] = { chart: charts[key], svg: index < 0 ? null : accessibleSvg(svgs[index], charts[key]) };
    }
    return drawn;
  }

  async pdf(staff: StaffUser, from?: string, to?: string): Promise<BilanFile> {
    const bilan = await this.bilan(staff, from, to);
    const content = await bilanPdf(bilan, bilanCharts(bilan), this.config.identity, this.generatedAt(bilan));
    return { content, contentType: 'application/pdf', filename: `bilan-${bilan.from}-${bilan.to}.pdf` };
  }

  async xlsx(staff: StaffUser, from?: string, to?: string): Promise<BilanFile> {
    const bilan = await this.bilan(staff, from, to);
    const content = await bilanWorkbook(bilan);
    return { content, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `bilan-${bilan.from}-${bilan.to}.xlsx` };
  }

  /** The PDF's dates: the period's end, so that the same figures give the same bytes. */
  private generatedAt(bilan: Bilan): Date {
    return wallTimeToInstant(bilan.to, '00:00', PROGRAMME_TIME_ZONE);
  }

  /** [from, to] in local dates, at most five years. */
  private scope(from?: string, to?: string): BilanScope {
    const year = todayIn(PROGRAMME_TIME_ZONE, this.clock.now()).slice(0, 4);
    // A bound left out is the calendar year of the other one (both: this year).
    const fromDate = from ?? `${(to ?? year).slice(0, 4)}-01-01`;
    const toDate = to ?? `${fromDate.slice(0, 4)}-12-31`;
    checkPeriod(fromDate, toDate, addDays(addMonths(fromDate, 12 * MAX_RANGE_YEARS), -1), `${MAX_RANGE_YEARS} ans`);
    return {
      fromDate,
      toDate,
      fromInstant: wallTimeToInstant(fromDate, '00:00', PROGRAMME_TIME_ZONE),
      toInstant: wallTimeToInstant(addDays(toDate, 1), '00:00', PROGRAMME_TIME_ZONE),
    };
  }

  private figures(scope: BilanScope, rows: BilanRows, labels: ListLabels): Omit<Bilan, 'sentences'> {
    const count =
      (label: string) =>
      (row: { code: string | null; bookings: number; organisations: number }): BilanCount => ({ ...row, label });
    return {
      from: scope.fromDate,
      to: scope.toDate,
      timeZone: PROGRAMME_TIME_ZONE,
      metropolis: this.territory.metropolis().name,
      organisations: rows.organisations,
      permanences: rows.permanences,
      months: everyMonth(scope, rows.months),
      topics: rows.topics.map((row) => count(labels.topic(row.code))(row)),
      legalForms: rows.legalForms.map((row) => count(labels.legalForm(row.code) ?? UNKNOWN_LEGAL_FORM)(row)),
      communes: {
        list: rows.communes.map((row) => {
          const commune = this.territory.commune(row.code);
          return {
            code: row.code,
            name: commune?.name ?? `Commune ${row.code}`,
            inMetropolis: this.territory.isInMetropolis(row.code),
            bookings: row.bookings,
            organisations: row.organisations,
          };
        }),
        bookings: rows.communeBookings,
        organisations: { inMetropolis: rows.organisations.inMetropolis, outside: rows.organisations.outside, unknown: rows.organisations.unknown },
      },
      orientations: { ...rows.orientations, byOrientation: rows.byOrientation.map((row) => count(labels.orientation(row.code))(row)) },
      workshops: rows.workshops.map(({ id, title, date, time, status, seats, registered, waitlisted, attended }) => ({
        id,
        title,
        date,
        time,
        status,
        seats,
        registered,
        waitlisted,
        attended,
      })),
      satisfaction: {
        ...withRate(rows.satisfaction),
        distribution: rows.satisfaction.distribution,
        byKind: rows.satisfactionByKind.map((row) => ({ kind: row.kind, ...withRate(row) })),
        byWorkshop: rows.satisfactionByWorkshop.map((row) => ({ id: row.id, title: row.title, date: row.date, ...withRate(row) })),
      },
    };
  }
}

/** The response rate is over the questionnaires sent (not every attendee is asked: satisfaction/). */
function withRate({ responses, attended, asked, mean }: { responses: number; attended: number; asked: number; mean: number | null }): SatisfactionFigures {
  return { responses, attended, asked, responseRate: asked === 0 ? null : Math.round((responses / asked) * 10_000) / 10_000, mean };
}

/** Every month of the period, those without bookings as zeros. */
function everyMonth(scope: BilanScope, found: BilanMonth[]): BilanMonth[] {
  const byMonth = new Map(found.map((month) => [month.month, month]));
  const months: BilanMonth[] = [];
  for (let day = `${scope.fromDate.slice(0, 7)}-01`; day <= scope.toDate; day = addMonths(day, 1)) {
    const month = day.slice(0, 7);
    months.push(byMonth.get(month) ?? { month, permanenceBookings: 0, permanenceAttended: 0, workshopRegistrations: 0, workshopAttended: 0 });
  }
  return months;
}
