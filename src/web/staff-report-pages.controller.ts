import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { seesAttendees, StaffUser } from '../auth/staff-user';
import { DomainError } from '../common/domain-error';
import { AttendanceReportQuery } from '../reports/dto/attendance-report.query';
import { ReportsService } from '../reports/reports.service';
import { AREA_FIGURE_LABELS, AREA_HEADERS } from '../reports/reports.export';
import type { AreaCounts, AreaName, Areas, AttendanceReport } from '../reports/reports.types';
import { validated } from './forms';
import { isPeriodError, Period, periodErrors, periodInput, sendPeriodFile } from './period-form';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

/** How many booking rows the page shows; the files hold them all. */
const ROWS_SHOWN = 100;

const KIND_LABELS: Record<string, string> = { permanence: 'Permanence', atelier: 'Atelier' };

/** The metropolis' report: the figures of a period, its bookings, and the same period as CSV or XLSX. */
@Controller('staff')
@Pages()
export class StaffReportPagesController {
  constructor(
    private readonly views: Views,
    private readonly reports: ReportsService,
  ) {}

  @Get('rapports')
  @StaffPage('admin', 'viewer')
  async report(@Query() query: Record<string, unknown>, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const period: Period = { du: query.du, au: query.au };
    let report: AttendanceReport;
    try {
      const dto = await validated(AttendanceReportQuery, periodInput(period));
      report = await this.reports.attendance(staff, dto.from, dto.to);
    } catch (error) {
      if (!(error instanceof DomainError) || !isPeriodError(error)) throw error;
      const values = { du: typeof period.du === 'string' ? period.du : '', au: typeof period.au === 'string' ? period.au : '' };
      return this.views.send(
        response,
        'staff/reports',
        { report: null, values, errors: periodErrors(error), alert: 'La période demandée n’est pas valable : voyez le message sous la date à corriger.' },
        page,
        { title: 'Rapport de fréquentation', status: 422 },
      );
    }
    this.views.send(
      response,
      'staff/reports',
      { ...reportView(report, seesAttendees(staff)), values: { du: report.from, au: report.to }, errors: {}, alert: null },
      page,
      { title: 'Rapport de fréquentation' },
    );
  }

  @Get('rapports/export.csv')
  @StaffPage('admin', 'viewer')
  async csv(@Query() query: Record<string, unknown>, @PageStaff() staff: StaffUser, @Res() response: Response) {
    await sendPeriodFile(response, { du: query.du, au: query.au }, AttendanceReportQuery, '/staff/rapports', (dto) =>
      this.reports.attendanceFile(staff, dto.from, dto.to, 'csv'),
    );
  }

  @Get('rapports/export.xlsx')
  @StaffPage('admin', 'viewer')
  async xlsx(@Query() query: Record<string, unknown>, @PageStaff() staff: StaffUser, @Res() response: Response) {
    await sendPeriodFile(response, { du: query.du, au: query.au }, AttendanceReportQuery, '/staff/rapports', (dto) =>
      this.reports.attendanceFile(staff, dto.from, dto.to, 'xlsx'),
    );
  }
}

function reportView(report: AttendanceReport, withAttendees: boolean) {
  const { figures } = report;
  const query = new URLSearchParams({ du: report.from, au: report.to }).toString();
  return {
    report: {
      from: report.from,
      to: report.to,
      timeZone: report.timeZone,
      figures: [
        { label: 'Permanences tenues', value: figures.permanencesHeld },
        { label: 'Permanences à venir ou en cours', value: figures.permanencesScheduled },
        { label: 'Permanences annulées', value: figures.permanencesCancelled },
        { label: 'Créneaux proposés', value: figures.slotsOffered },
        { label: 'Créneaux réservés', value: figures.slotsBooked },
        { label: 'Réservations et inscriptions (hors annulations)', value: figures.bookings },
        { label: 'Présences', value: figures.attended },
        { label: 'Absences non excusées', value: figures.noShows },
        { label: 'Absences excusées', value: figures.excused },
        { label: 'Taux de présence', value: figures.attendanceRate === null ? 'non calculable (aucune présence renseignée)' : percent(figures.attendanceRate) },
        { label: 'Présences non renseignées (rendez-vous passés)', value: figures.attendanceUnrecorded },
        { label: 'Structures distinctes', value: figures.organisations },
        { label: 'Nouvelles structures', value: figures.newOrganisations },
      ],
      metropolis: figures.metropolis,
      areaHeaders: ['Total', ...AREA_HEADERS],
      areaFigures: AREA_FIGURE_LABELS.map(([key, label]) => ({
        label,
        values: [figures[key], ...AREAS.map((area) => figures.byArea[area][key])].map((value) =>
          key === 'attendanceRate' ? (value === null ? 'non calculable' : percent(value)) : value,
        ),
      })),
      splitHeaders: ['Total', ...AREA_HEADERS],
      splitLabels: ['Réservations', 'Structures'].flatMap((what) => [
        what,
        `${what} dans la Métropole`,
        `${what} hors Métropole`,
        `${what}, commune non renseignée`,
      ]),
      byLegalForm: figures.byLegalForm.map((row) => ({ label: row.label, values: splitValues(row, row.areas) })),
      byTopic: figures.byTopic.map((row) => ({ label: row.label, values: splitValues(row, row.areas) })),
      byCommune: figures.byCommune.map((row) => ({ ...row, areaLabel: AREA_WORDS[row.area] })),
      workshops: figures.workshops.map((workshop) => ({ ...workshop, date: shortDate(workshop.date), cancelled: workshop.status === 'cancelled' })),
      rows: report.rows.slice(0, ROWS_SHOWN).map((row) => ({ ...row, kind: KIND_LABELS[row.kind] ?? row.kind, date: shortDate(row.date) })),
      withAttendees,
      rowCount: report.rows.length,
      rowsShown: Math.min(report.rows.length, ROWS_SHOWN),
      truncated: report.rows.length > ROWS_SHOWN,
      csvUrl: `/staff/rapports/export.csv?${query}`,
      xlsxUrl: `/staff/rapports/export.xlsx?${query}`,
    },
  };
}

/** 0.5 → "50 %" (French typography). */
function percent(rate: number): string {
  return new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** A local date 2026-11-26 as 26/11/2026. */
function shortDate(date: string): string {
  return date.split('-').reverse().join('/');
}

const AREAS: AreaName[] = ['inMetropolis', 'outsideMetropolis', 'unknown'];
const AREA_WORDS: Record<AreaName, string> = { inMetropolis: 'dans la Métropole', outsideMetropolis: 'hors Métropole', unknown: 'commune non renseignée' };

/** Bookings (total, then each area), then organisations likewise: the columns of the split tables. */
function splitValues(total: AreaCounts, areas: Areas<AreaCounts>): number[] {
  return [total.bookings, ...AREAS.map((area) => areas[area].bookings), total.organisations, ...AREAS.map((area) => areas[area].organisations)];
}
