import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { StaffUser } from '../auth/staff-user';
import { bookingOptions } from '../bookings/booking-options';
import { BookingsService } from '../bookings/bookings.service';
import { consentNotice } from '../bookings/consent';
import { StaffBookingDto } from '../bookings/dto/create-booking.dto';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { PermanencesService } from '../permanences/permanences.service';
import { WorkshopsService } from '../workshops/workshops.service';
import { Territory } from '../territory/territory';
import { communeChoice } from './commune-choices';
import { BOOKING_ERRORS, BOOKING_FIELDS, bookingFields, checked, FormBody, formFailure, list, text, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';
import { instantToLocal } from '../calendar';

/** What registering someone can be refused for, told on the form: as the public form, and a desk not theirs. */
const REGISTER_ERRORS: ErrorCode[] = [...BOOKING_ERRORS, 'forbidden'];

interface Target {
  slotId?: string;
  workshopId?: string;
  isWorkshop: boolean;
  title: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  location: string;
  advisor: string | null;
}

/**
 * Staff registering someone who phoned or came in (`?creneau=<slot>` or `?atelier=<workshop>`):
 * the public form's fields, the consent confirmed as given orally, the same engine (BookingsService.bookFor).
 */
@Controller('staff')
@Pages()
export class StaffRegisterPagesController {
  constructor(
    private readonly views: Views,
    private readonly bookings: BookingsService,
    private readonly permanences: PermanencesService,
    private readonly workshops: WorkshopsService,
    private readonly config: AppConfig,
    private readonly territory: Territory,
  ) {}

  @Get('inscrire')
  @StaffPage('admin', 'advisor')
  async form(@Query() query: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const target = await this.target(query);
    this.send(response, page, target, { topics: [] }, {});
  }

  @Post('inscrire')
  @StaffPage('admin', 'advisor')
  async register(@Query() query: FormBody, @Body() body: FormBody, @PageStaff() staff: StaffUser, @Page() page: PageContext, @Res() response: Response) {
    const target = await this.target(query);
    const values: Record<string, unknown> = Object.fromEntries<unknown>([
      ...BOOKING_FIELDS.map((name): [string, unknown] => [name, text(body, name) ?? '']),
      ['topics', list(body, 'topics')],
      ['consent', checked(body, 'consent')],
      ['idempotencyKey', text(body, 'idempotencyKey') ?? ''],
    ]);
    try {
      const dto = await validated(StaffBookingDto, {
        ...(target.slotId ? { slotId: target.slotId } : { workshopId: target.workshopId }),
        ...bookingFields(body),
        consent: { oral: checked(body, 'consent') ? true : undefined },
      });
      const booking = await this.bookings.bookFor(dto, staff, text(body, 'idempotencyKey') || undefined);
      const date = instantToLocal(new Date(target.startsAt), target.timeZone).date;
      response.redirect(303, `/staff/agenda?${new URLSearchParams({ date, inscrit: booking.id })}`);
    } catch (error) {
      const failure = formFailure(error, REGISTER_ERRORS);
      const errors = failure.code === 'validation_failed' || failure.code === 'commune_required' ? failure.errors : {};
      // The form has one checkbox for the DTO's `consent.oral`.
      if (errors['consent.oral']) {
        errors.consent = errors['consent.oral'];
        delete errors['consent.oral'];
      }
      response.status(failure.status);
      this.send(response, page, target, failure.code === 'idempotency_key_reused' ? { ...values, idempotencyKey: '' } : values, errors, failure.alert);
    }
  }

  private async target(query: FormBody): Promise<Target> {
    const slotId = text(query, 'creneau');
    const workshopId = text(query, 'atelier');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (slotId && uuid.test(slotId)) {
      const session = await this.permanences.ofSlot(slotId);
      const slot = session.slots.find((candidate) => candidate.id === slotId)!;
      return {
        slotId,
        isWorkshop: false,
        title: `Permanence de la ${this.config.identity.name}`,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        timeZone: session.timeZone,
        location: session.location,
        advisor: slot.advisor?.name ?? null,
      };
    }
    if (workshopId && uuid.test(workshopId)) {
      const workshop = await this.workshops.get(workshopId);
      return {
        workshopId,
        isWorkshop: true,
        title: workshop.title,
        startsAt: workshop.startsAt,
        endsAt: workshop.endsAt,
        timeZone: workshop.timeZone,
        location: workshop.location,
        advisor: null,
      };
    }
    throw new DomainError('not_found', 'Ce créneau ou cet atelier n’existe pas (ou plus).');
  }

  private send(response: Response, page: PageContext, target: Target, values: Record<string, unknown>, errors: Record<string, string>, alert?: string) {
    const options = bookingOptions();
    const notice = consentNotice({ identity: this.config.identity, retentionMonths: this.config.retentionMonths });
    this.views.send(
      response,
      'staff/register',
      {
        target,
        values,
        idempotencyKey: (values.idempotencyKey as string) || randomUUID(),
        errors,
        alert: alert ?? null,
        errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
        topics: options.topics,
        legalForms: options.legalForms,
        communeChoice: communeChoice(this.territory, values['organisation.postcode'], values['organisation.communeCode']),
        consent: notice,
      },
      page,
      { title: target.isWorkshop ? `Inscrire une personne : ${target.title}` : 'Réserver un créneau pour une personne', status: response.statusCode },
    );
  }
}
