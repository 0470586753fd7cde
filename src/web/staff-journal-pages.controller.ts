import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { JournalQuery } from '../journal/dto/journal.dto';
import { JOURNAL_ACTIONS } from '../journal/journal-actions';
import { JournalService } from '../journal/journal.service';
import { formFailure, FormBody, text, toLocalDate, validated } from './forms';
import { Page, Pages, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

/** /staff/journal: who did what and when, for admins; filters by period (du, au) and action. */
@Controller('staff')
@Pages()
export class StaffJournalPagesController {
  constructor(
    private readonly views: Views,
    private readonly journal: JournalService,
  ) {}

  @Get('journal')
  @StaffPage('admin')
  async list(@Query() query: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const values = { du: text(query, 'du') ?? '', au: text(query, 'au') ?? '', action: text(query, 'action') ?? '' };
    const pageText = text(query, 'page');
    const actions = Object.entries(JOURNAL_ACTIONS).map(([code, label]) => ({ code, label, selected: code === values.action }));
    const model = {
      values,
      actions,
      errors: {} as Record<string, string>,
      alert: null as string | null,
      entries: [] as object[],
      pageNumber: 1,
      previousUrl: null as string | null,
      nextUrl: null as string | null,
    };
    try {
      const dto = await validated(JournalQuery, {
        from: values.du === '' ? undefined : toLocalDate(values.du),
        to: values.au === '' ? undefined : toLocalDate(values.au),
        action: values.action === '' ? undefined : values.action,
        page: pageText,
      });
      const found = await this.journal.list(dto);
      model.entries = found.entries.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() }));
      model.pageNumber = found.page;
      const url = (n: number) =>
        `/staff/journal?${new URLSearchParams({ ...(dto.from ? { du: dto.from } : {}), ...(dto.to ? { au: dto.to } : {}), ...(dto.action ? { action: dto.action } : {}), page: String(n) })}`;
      model.previousUrl = found.page > 1 ? url(found.page - 1) : null;
      model.nextUrl = found.hasNext ? url(found.page + 1) : null;
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      model.errors = { du: failure.errors.from, au: failure.errors.to, action: failure.errors.action, page: failure.errors.page };
      model.alert = failure.alert;
      response.status(failure.status);
    }
    this.views.send(response, 'staff/journal', model, page, { title: 'Journal des actions de l’équipe', status: response.statusCode });
  }
}
