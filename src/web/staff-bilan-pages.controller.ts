import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { bilanSections } from '../bilan/bilan-tables';
import { BilanFile, BilanService } from '../bilan/bilan.service';
import type { Bilan } from '../bilan/bilan.types';
import type { DrawnCharts } from '../bilan/bilan.service';
import { BilanQuery } from '../bilan/dto/bilan.query';
import { DomainError } from '../common/domain-error';
import { errorsByField, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

/** The page's inputs (`du`, `au`) and the API's fields (`from`, `to`). */
const FIELD_OF: Record<string, string> = { from: 'du', to: 'au' };
const TITLE = 'Bilan pour la Métropole';

type Period = { du?: unknown; au?: unknown };

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
    await this.sendFile(response, { du: query.du, au: query.au }, (from, to) => this.bilans.pdf(staff, from, to));
  }

  @Get('bilan.xlsx')
  @StaffPage('admin', 'viewer')
  async xlsx(@Query() query: Record<string, unknown>, @PageStaff() staff: StaffUser, @Res() response: Response) {
    await this.sendFile(response, { du: query.du, au: query.au }, (from, to) => this.bilans.xlsx(staff, from, to));
  }

  /** The file of the period, as the API sends it; a bad period goes back to the page, which explains it. */
  private async sendFile(response: Response, period: Period, make: (from?: string, to?: string) => Promise<BilanFile>) {
    let file: BilanFile;
    try {
      const dto = await validated(BilanQuery, periodInput(period));
      file = await make(dto.from, dto.to);
    } catch (error) {
      if (!(error instanceof DomainError) || !isPeriodError(error)) throw error;
      const back = new URLSearchParams();
      if (typeof period.du === 'string') back.set('du', period.du);
      if (typeof period.au === 'string') back.set('au', period.au);
      return response.redirect(303, `/staff/bilan?${back}`);
    }
    response
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
        'Content-Length': String(file.content.length),
      })
      .end(file.content);
  }
}

/** `du`/`au` as the DTO's `from`/`to`; an empty input means the service's default. */
function periodInput(period: Period): { from?: unknown; to?: unknown } {
  const input: { from?: unknown; to?: unknown } = {};
  if (period.du !== undefined && period.du !== '') input.from = period.du;
  if (period.au !== undefined && period.au !== '') input.to = period.au;
  return input;
}

function isPeriodError(error: DomainError): boolean {
  return error.code === 'validation_failed' || error.code === 'range_too_large';
}

/** The errors next to the page's inputs, in the page's words. */
function periodErrors(error: DomainError): Record<string, string> {
  if (error.code === 'range_too_large') return { au: error.detail };
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(errorsByField(error))) {
    const input = FIELD_OF[field];
    if (!input) continue;
    // The API names the other bound by its parameter; the page by its label.
    errors[input] = message.replace(/\bfrom\b/, 'la date de début');
  }
  if (Object.keys(errors).length === 0) errors.du = error.detail;
  return errors;
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
