import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UsersService } from '../accounts/users.service';
import type { StaffUser } from '../auth/staff-user';
import { uuidPipe } from '../common/uuid.pipe';
import { UpdateSeriesDto } from '../permanences/dto/permanence.dto';
import { SeriesService } from '../permanences/series.service';
import { UpdateSettingsDto } from '../settings/dto/settings.dto';
import { SettingsService } from '../settings/settings.service';
import { formFailure, FormBody, list, text, toInteger, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

const FIELDS = ['legalName', 'address', 'contactEmail', 'privacyEmail', 'holidayPolicy', 'reminderHoursBefore'] as const;
type SettingsForm = Record<(typeof FIELDS)[number], string>;
const SERIES_FIELDS = ['location', 'startTime', 'endTime', 'slotMinutes'] as const;
type SeriesForm = Record<(typeof SERIES_FIELDS)[number], string>;

/** What the series form shows besides its fields: its errors, or what the change did to the sessions to come. */
interface SeriesState {
  values?: SeriesForm;
  advisorIds?: string[];
  errors?: Record<string, string>;
  alert?: string | null;
  result?: { updatedSessions: number; skippedSessions: Array<{ id: string; date: string; bookings: number }> } | null;
}

const HOLIDAY_POLICIES = [
  { value: 'cancel', label: 'Annulée' },
  { value: 'previous_week', label: 'Avancée d’une semaine (le jeudi précédent)' },
  { value: 'next_week', label: 'Repoussée d’une semaine (le jeudi suivant)' },
];

const DONE: Record<string, string> = {
  enregistre: 'C’est fait : les réglages sont enregistrés. Les pages, les e-mails et la notice sur les données personnelles les montrent dès maintenant.',
};

/** The admin's settings page: what PATCH /api/settings changes, as a form. */
@Controller('staff')
@Pages()
export class StaffSettingsPagesController {
  constructor(
    private readonly views: Views,
    private readonly settings: SettingsService,
    private readonly series: SeriesService,
    private readonly users: UsersService,
  ) {}

  @Get('reglages')
  @StaffPage('admin')
  async show(@Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const flash = typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : null;
    const current = await this.settings.view();
    const values = Object.fromEntries(FIELDS.map((field) => [field, String(current[field])])) as SettingsForm;
    await this.send(response, { ...page, flash }, values, {}, null);
  }

  @Post('reglages')
  @StaffPage('admin')
  async update(@Body() body: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const values = Object.fromEntries(FIELDS.map((field) => [field, text(body, field) ?? ''])) as SettingsForm;
    try {
      const dto = await validated(UpdateSettingsDto, { ...values, reminderHoursBefore: toInteger(values.reminderHoursBefore) });
      await this.settings.update(dto, staff);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      response.status(failure.status);
      return this.send(response, page, values, failure.errors, failure.alert);
    }
    response.redirect(303, '/staff/reglages?fait=enregistre');
  }

  /** The same change as PATCH /api/permanences/series/:id; the page says which sessions to come it reshaped and which it could not. */
  @Post('reglages/serie/:id')
  @HttpCode(200)
  @StaffPage('admin')
  async updateSeries(
    @Param('id', uuidPipe) id: string,
    @Body() body: FormBody,
    @PageStaff() staff: StaffUser,
    @Page() page: PageContext,
    @Res() response: Response,
  ) {
    const values = Object.fromEntries(SERIES_FIELDS.map((field) => [field, text(body, field) ?? ''])) as SeriesForm;
    const current = await this.settings.view();
    const settingsValues = Object.fromEntries(FIELDS.map((field) => [field, String(current[field])])) as SettingsForm;
    const advisorIds = list(body, 'advisorIds');
    let result: SeriesState['result'];
    try {
      const dto = await validated(UpdateSeriesDto, { ...values, slotMinutes: toInteger(values.slotMinutes), advisorIds });
      result = await this.series.update(id, dto, staff);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed', 'advisor_invalid']);
      response.status(failure.status);
      return this.send(response, page, settingsValues, {}, null, { values, advisorIds, errors: failure.errors, alert: failure.alert });
    }
    await this.send(response, page, settingsValues, {}, null, { result });
  }

  private async send(
    response: Response,
    page: PageContext,
    values: SettingsForm,
    errors: Record<string, string>,
    alert: string | null,
    seriesState: SeriesState = {},
  ) {
    const policies = HOLIDAY_POLICIES.map((policy) => ({ ...policy, checked: policy.value === values.holidayPolicy }));
    const errorList = FIELDS.filter((field) => errors[field]).map((field) => ({ field, message: errors[field] }));
    const series = (await this.series.list()).find((candidate) => candidate.isDefault) ?? null;
    const seriesErrors = seriesState.errors ?? {};
    const chosen = new Set(seriesState.advisorIds ?? series?.advisorIds ?? []);
    const advisors = (await this.users.list())
      .filter((account) => (account.active && account.role !== 'viewer') || chosen.has(account.id))
      .map((account) => ({ id: account.id, name: account.active ? account.name : `${account.name} (compte désactivé)`, checked: chosen.has(account.id) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const seriesForm = series && {
      id: series.id,
      values: seriesState.values ?? {
        location: series.location,
        startTime: series.startTime,
        endTime: series.endTime,
        slotMinutes: String(series.slotMinutes),
      },
      errors: seriesErrors,
      advisors,
      advisorsError: seriesErrors.advisorIds ?? null,
      alert: seriesState.alert ?? null,
      errorList: SERIES_FIELDS.filter((field) => seriesErrors[field]).map((field) => ({ field, message: seriesErrors[field] })),
      result: seriesState.result ?? null,
    };
    this.views.send(response, 'staff/settings', { values, errors, alert, errorList, policies, series: seriesForm }, page, {
      title: 'Réglages',
      status: response.statusCode,
    });
  }
}
