import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UpdateSettingsDto } from '../settings/dto/settings.dto';
import { SettingsService } from '../settings/settings.service';
import { formFailure, FormBody, text, toInteger, validated } from './forms';
import { Page, Pages, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

const FIELDS = ['legalName', 'address', 'contactEmail', 'privacyEmail', 'holidayPolicy', 'reminderHoursBefore'] as const;
type SettingsForm = Record<(typeof FIELDS)[number], string>;

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
  ) {}

  @Get('reglages')
  @StaffPage('admin')
  async show(@Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const flash = typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : null;
    const current = await this.settings.view();
    const values = Object.fromEntries(FIELDS.map((field) => [field, String(current[field])])) as SettingsForm;
    this.send(response, { ...page, flash }, values, {}, null);
  }

  @Post('reglages')
  @StaffPage('admin')
  async update(@Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const values = Object.fromEntries(FIELDS.map((field) => [field, text(body, field) ?? ''])) as SettingsForm;
    try {
      const dto = await validated(UpdateSettingsDto, { ...values, reminderHoursBefore: toInteger(values.reminderHoursBefore) });
      await this.settings.update(dto);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      response.status(failure.status);
      return this.send(response, page, values, failure.errors, failure.alert);
    }
    response.redirect(303, '/staff/reglages?fait=enregistre');
  }

  private send(response: Response, page: PageContext, values: SettingsForm, errors: Record<string, string>, alert: string | null) {
    const policies = HOLIDAY_POLICIES.map((policy) => ({ ...policy, checked: policy.value === values.holidayPolicy }));
    const errorList = FIELDS.filter((field) => errors[field]).map((field) => ({ field, message: errors[field] }));
    this.views.send(response, 'staff/settings', { values, errors, alert, errorList, policies }, page, { title: 'Réglages', status: response.statusCode });
  }
}
