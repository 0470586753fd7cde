import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { bilanSections } from '../bilan/bilan-tables';
import { BilanService } from '../bilan/bilan.service';
import type { Bilan } from '../bilan/bilan.types';
import type { DrawnCharts } from '../bilan/bilan.service';
import { BilanQuery } from '../bilan/dto/bilan.query';
import { DomainError } from '../common/domain-error';
import { validated } from './forms';
import { isPeriodError, Period, periodErrors, periodInput, sendPeriodFile } from './period-form';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

const TITLE = 'Bilan pour la Métropole';

/** Vega's SVG, already made by the service from figures (no text typed by anyone is left unescaped in it). */
class TrustedSvg {
  constructor(private readonly svg: string) {}
  toHTML(): string {
    return this.svg;
  }
}

/** The metropolis' bilan of a period: sections with a sentence, a chart and tables; the same as PDF and XLSX. */
@Controller('staff')
@Pages()
export class StaffBilanPagesController {
  constructor(
    private readonly views: Views,
    private readonly bilans: BilanService,
  ) {}

  @Get('bilan')
  @StaffPage('admin', 'viewer')
  async page(@Query() query: Record<string, unknown>, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const period: Period = { du: query.du, au: query.au };
    let bilan: Bilan;
    try {
      const dto = await validated(BilanQuery, periodInput(period));
      bilan = await this.bilans.bilan(staff, dto.from, dto.to);
    } catch (error) {
      if (!(error instanceof DomainError) || !isPeriodError(error)) throw error;
      const values = { du: typeof period.du === 'string' ? period.du : '', au: typeof period.au === 'string' ? period.au : '' };
      return this.views.send(
        response,
        'staff/bilan',
        { bilan: null, values, errors: periodErrors(error), alert: 'La période demandée n’est pas valable : voyez le message sous la date à corriger.' },
        page,
        { title: TITLE, status: 422 },
      );
    }
    const charts = await this.bilans.draw(bilan);
    this.views.send(response, 'staff/bilan', { bilan: bilanView(bilan, charts), values: { du: bilan.from, au: bilan.to }, errors: {}, alert: null }, page, {
      title: TITLE,
    });
  }

  @Get('bilan.pdf')
  @StaffPage('admin', 'viewer')
  async pdf(@Query() query: Record<string, unknown>, @PageStaff() staff: StaffUser, @Res() response: Response) {
    await sendPeriodFile(response, { du: query.du, au: query.au }, BilanQuery, '/staff/bilan', (dto) => this.bilans.pdf(staff, dto.from, dto.to));
  }

  @Get('bilan.xlsx')
  @StaffPage('admin', 'viewer')
  async xlsx(@Query() query: Record<string, unknown>, @PageStaff() staff: StaffUser, @Res() response: Response) {
    await sendPeriodFile(response, { du: query.du, au: query.au }, BilanQuery, '/staff/bilan', (dto) => this.bilans.xlsx(staff, dto.from, dto.to));
  }
}

function bilanView(bilan: Bilan, charts: DrawnCharts) {
  const query = new URLSearchParams({ du: bilan.from, au: bilan.to }).toString();
  return {
    from: bilan.from,
    to: bilan.to,
    metropolis: bilan.metropolis,
    pdfUrl: `/staff/bilan.pdf?${query}`,
    xlsxUrl: `/staff/bilan.xlsx?${query}`,
    sections: bilanSections(bilan).map((section) => {
      const drawn = charts[section.key];
      return {
        slug: section.slug,
        title: section.title,
        sentence: bilan.sentences[section.key],
        chartTitle: drawn.chart.title,
        svg: drawn.svg === null ? null : new TrustedSvg(drawn.svg),
        tables: section.tables.map((table) => ({
          ...table,
          // Wide tables become one card per row on a phone (each cell named by its column).
          stack: table.headers.length > 2,
          rows: table.rows.map((cells) => cells.map((value, index) => ({ value, label: table.headers[index], first: index === 0 }))),
        })),
      };
    }),
  };
}
