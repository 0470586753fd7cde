import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { BookingsService } from '../bookings/bookings.service';
import { addMonths, instantToLocal, instantToLocalInput, isIsoInstant, localInputToInstant, todayIn } from '../calendar';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { uuidPipe } from '../common/uuid.pipe';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { CancelWorkshopDto, CreateWorkshopDto, UpdateWorkshopDto } from '../workshops/dto/workshop.dto';
import { WorkshopsService } from '../workshops/workshops.service';
import { checked, Confirmation, confirmed, formFailure as refusal, FormBody, text, toInteger, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { frenchHour, frenchLocalDate, PageContext, Views } from './views';

type Workshop = Awaited<ReturnType<WorkshopsService['get']>>;

/** The workshop form's fields, as named in the page, in the DTO and in the API's field errors. */
const TEXT_FIELDS = [
  'title',
  'description',
  'startsAt',
  'endsAt',
  'location',
  'capacity',
  'registrationOpensAt',
  'registrationClosesAt',
  'organisationLimit',
] as const;
const DATE_FIELDS = ['startsAt', 'endsAt', 'registrationOpensAt', 'registrationClosesAt'];
type WorkshopForm = Record<(typeof TEXT_FIELDS)[number], string> & { waitlistEnabled: boolean };

/** `?fait=` after a Post/Redirect/Get: a fixed message, never text from the address. */
const DONE: Record<string, string> = {
  cree: 'C’est fait : l’atelier est créé et publié sur la page d’accueil.',
  modifie: 'C’est fait : l’atelier est modifié. Si sa date, son horaire ou son lieu ont changé, les personnes inscrites sont prévenues par e-mail.',
  annule: 'C’est fait : l’atelier est annulé. Chaque personne inscrite est prévenue par e-mail, avec le motif.',
  'inscription-annulee':
    'C’est fait : l’inscription est annulée et la personne est prévenue par e-mail. Une place libérée revient à la première personne de la liste d’attente.',
};

/** The admin's workshop pages: the list, creating, editing and cancelling one, its registrations and waitlist. */
@Controller('staff')
@Pages()
export class StaffWorkshopPagesController {
  constructor(
    private readonly views: Views,
    private readonly workshops: WorkshopsService,
    private readonly bookings: BookingsService,
    private readonly clock: Clock,
  ) {}

  @Get('ateliers')
  @StaffPage('admin')
  async list(@Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const today = todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const listed = await this.workshops.list(addMonths(today, -3), addMonths(today, 21));
    const now = this.clock.now().toISOString();
    const rows = listed.map((workshop) => this.row(workshop));
    this.views.send(
      response,
      'staff/workshops',
      { coming: rows.filter((row) => row.endsAt > now), past: rows.filter((row) => row.endsAt <= now).reverse() },
      { ...page, flash: flashOf(done) },
      { title: 'Ateliers' },
    );
  }

  @Get('ateliers/nouveau')
  @StaffPage('admin')
  newForm(@Page() page: PageContext, @Res() response: Response) {
    this.sendNewForm(response, page, emptyForm(), {}, null);
  }

  @Post('ateliers/nouveau')
  @StaffPage('admin')
  async create(@Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const form = formOf(body);
    let workshop: Workshop;
    try {
      const dto = await validatedWorkshop(CreateWorkshopDto, {
        title: form.title,
        description: form.description,
        startsAt: toInstant(form.startsAt),
        endsAt: toInstant(form.endsAt),
        location: form.location,
        capacity: toInteger(form.capacity),
        registrationOpensAt: form.registrationOpensAt.trim() === '' ? null : toInstant(form.registrationOpensAt),
        registrationClosesAt: form.registrationClosesAt.trim() === '' ? undefined : toInstant(form.registrationClosesAt),
        waitlistEnabled: form.waitlistEnabled,
        organisationLimit: form.organisationLimit.trim() === '' ? null : toInteger(form.organisationLimit),
      });
      workshop = await this.workshops.create(dto);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed'], form);
      response.status(failure.status);
      return this.sendNewForm(response, page, form, failure.errors, failure.alert);
    }
    response.redirect(303, `/staff/ateliers/${workshop.id}?fait=cree`);
  }

  @Get('ateliers/:id')
  @StaffPage('admin')
  async show(@Param('id', uuidPipe) id: string, @Query('fait') done: unknown, @Page() page: PageContext, @Res() response: Response) {
    const workshop = await this.workshops.get(id);
    await this.sendWorkshop(response, { ...page, flash: flashOf(done) }, workshop, { form: formFromWorkshop(workshop) });
  }

  @Post('ateliers/:id')
  @StaffPage('admin')
  async update(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const current = await this.workshops.get(id);
    const form = formOf(body);
    try {
      const startsAt = unlessUnchanged(form.startsAt, current.startsAt);
      const dto = await validatedWorkshop(UpdateWorkshopDto, {
        title: form.title,
        description: form.description,
        startsAt,
        endsAt: unlessUnchanged(form.endsAt, current.endsAt),
        location: form.location,
        capacity: toInteger(form.capacity),
        registrationOpensAt: form.registrationOpensAt.trim() === '' ? null : unlessUnchanged(form.registrationOpensAt, current.registrationOpensAt),
        // Blank means "at the start", as the form says: the start now in the form.
        registrationClosesAt:
          form.registrationClosesAt.trim() === ''
            ? isIsoInstant(startsAt)
              ? startsAt
              : undefined
            : unlessUnchanged(form.registrationClosesAt, current.registrationClosesAt),
        waitlistEnabled: form.waitlistEnabled,
        organisationLimit: form.organisationLimit.trim() === '' ? null : toInteger(form.organisationLimit),
      });
      await this.workshops.update(id, dto);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed', 'capacity_below_confirmed', 'workshop_cancelled'], form);
      response.status(failure.status);
      return this.sendWorkshop(response, page, await this.workshops.get(id), { form, errors: failure.errors, alert: failure.alert });
    }
    response.redirect(303, `/staff/ateliers/${id}?fait=modifie`);
  }

  @Post('ateliers/:id/annuler')
  @StaffPage('admin')
  async cancel(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const current = await this.workshops.get(id);
    const reason = text(body, 'reason') ?? '';
    try {
      const dto = await validated(CancelWorkshopDto, { reason });
      if (!confirmed(body)) {
        return this.views.send(response, 'confirm', cancelWorkshopConfirmation(current, dto.reason), page, { title: `Annuler l’atelier « ${current.title} »` });
      }
      await this.workshops.cancel(id, dto.reason, staff);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      response.status(failure.status);
      return this.sendWorkshop(response, page, current, {
        form: formFromWorkshop(current),
        cancelReason: reason,
        cancelError: failure.errors.reason ?? failure.alert,
        alert: 'L’atelier n’est pas annulé : indiquez le motif, il est envoyé aux personnes inscrites.',
      });
    }
    response.redirect(303, `/staff/ateliers/${id}?fait=annule`);
  }

  /** The staff cancels one registration (confirmed or waiting); a freed seat goes to the first in line. */
  @Post('ateliers/:id/inscriptions/:bookingId/annuler')
  @StaffPage('admin')
  async cancelRegistration(
    @Param('id', uuidPipe) id: string,
    @Param('bookingId', uuidPipe) bookingId: string,
    @Body() body: FormBody,
    @PageStaff() staff: StaffUser,
    @Page() page: PageContext,
    @Res() response: Response,
  ) {
    const registration = await this.workshops.registration(id, bookingId);
    if (!confirmed(body)) {
      const workshop = await this.workshops.get(id);
      const confirmation = cancelRegistrationConfirmation(workshop, {
        id: bookingId,
        name: String(registration.attendeeName),
        organisation: String(registration.organisationName),
        waiting: registration.status === 'waitlisted',
      });
      return this.views.send(response, 'confirm', confirmation, page, { title: confirmation.heading.replace(/ \?$/, '') });
    }
    await this.bookings.cancel(bookingId, { token: null, staff });
    response.redirect(303, `/staff/ateliers/${id}?fait=inscription-annulee`);
  }

  private sendNewForm(response: Response, page: PageContext, form: WorkshopForm, errors: Record<string, string>, alert: string | null) {
    this.views.send(
      response,
      'staff/workshop-new',
      { values: form, errors, alert, errorList: errorList(errors), action: '/staff/ateliers/nouveau', submitLabel: 'Créer l’atelier' },
      page,
      { title: 'Nouvel atelier', status: response.statusCode },
    );
  }

  private async sendWorkshop(
    response: Response,
    page: PageContext,
    workshop: Workshop,
    state: { form: WorkshopForm; errors?: Record<string, string>; alert?: string | null; cancelReason?: string; cancelError?: string | null },
  ) {
    const registrations = (await this.workshops.registrationsOf(workshop.id)).map((registration) => ({
      id: String(registration.id),
      name: String(registration.attendeeName),
      email: String(registration.attendeeEmail),
      organisation: String(registration.organisationName),
      createdAt: registration.createdAt as Date,
      position: (registration.waitlistPosition as number | null) ?? null,
      waiting: registration.status === 'waitlisted',
      present: registration.attendance === 'present',
    }));
    const errors = state.errors ?? {};
    const row = this.row(workshop);
    this.views.send(
      response,
      'staff/workshop',
      {
        workshop: row,
        confirmed: registrations.filter((registration) => !registration.waiting),
        waitlist: registrations.filter((registration) => registration.waiting),
        values: state.form,
        errors,
        errorList: errorList(errors),
        alert: state.alert ?? null,
        cancelReason: state.cancelReason ?? '',
        cancelError: state.cancelError ?? null,
        action: `/staff/ateliers/${workshop.id}`,
        submitLabel: 'Enregistrer les modifications',
        editable: workshop.status !== 'cancelled',
      },
      page,
      { title: `Atelier : ${workshop.title}`, status: response.statusCode },
    );
  }

  /** A workshop as the staff pages show it: seats taken, and its state in words. */
  private row(workshop: Workshop) {
    const now = this.clock.now().toISOString();
    const cancelled = workshop.status === 'cancelled';
    const over = workshop.endsAt <= now;
    const state = cancelled
      ? { label: 'Annulé', badge: 'badge-off' }
      : over
        ? { label: 'Terminé', badge: 'badge-off' }
        : workshop.startsAt <= now
          ? { label: 'En cours', badge: 'badge-wait' }
          : workshop.status === 'full'
            ? { label: 'Complet', badge: 'badge-wait' }
            : workshop.status === 'open'
              ? { label: 'Inscriptions ouvertes', badge: 'badge-on' }
              : workshop.registrationOpensAt !== null && workshop.registrationOpensAt > now
                ? { label: 'Inscriptions pas encore ouvertes', badge: 'badge-wait' }
                : { label: 'Inscriptions closes', badge: 'badge-off' };
    return {
      ...workshop,
      confirmedCount: cancelled ? 0 : workshop.capacity - workshop.available,
      statusLabel: state.label,
      statusBadge: state.badge,
      cancelled,
      statusReason: workshop.statusReason ?? null,
    };
  }
}

function flashOf(done: unknown): string | null {
  return typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : null;
}

function emptyForm(): WorkshopForm {
  return { ...(Object.fromEntries(TEXT_FIELDS.map((name) => [name, ''])) as Record<(typeof TEXT_FIELDS)[number], string>), waitlistEnabled: true };
}

/** What was posted, kept as typed to show it back. */
function formOf(body: FormBody): WorkshopForm {
  return {
    ...(Object.fromEntries(TEXT_FIELDS.map((name) => [name, text(body, name) ?? ''])) as Record<(typeof TEXT_FIELDS)[number], string>),
    waitlistEnabled: checked(body, 'waitlistEnabled'),
  };
}

/** An existing workshop in the form: times in Paris wall time; a closing at the start shows blank (the default). */
function formFromWorkshop(workshop: Workshop): WorkshopForm {
  return {
    title: workshop.title,
    description: workshop.description,
    startsAt: toLocalInput(workshop.startsAt),
    endsAt: toLocalInput(workshop.endsAt),
    location: workshop.location,
    capacity: String(workshop.capacity),
    registrationOpensAt: workshop.registrationOpensAt ? toLocalInput(workshop.registrationOpensAt) : '',
    registrationClosesAt: workshop.registrationClosesAt === workshop.startsAt ? '' : toLocalInput(workshop.registrationClosesAt),
    organisationLimit: workshop.organisationLimit === null ? '' : String(workshop.organisationLimit),
    waitlistEnabled: workshop.waitlistEnabled,
  };
}

function toLocalInput(instant: string): string {
  return instantToLocalInput(instant, PROGRAMME_TIME_ZONE);
}

function toInstant(value: string): string {
  return localInputToInstant(value, PROGRAMME_TIME_ZONE);
}

/** The existing instant when the form still shows it (to the minute), so an untouched time never counts as a change. */
function unlessUnchanged(value: string, existing: string | null): string {
  return existing !== null && value.trim() === toLocalInput(existing) ? existing : toInstant(value);
}

/** The DTO's rules; its message for an unreadable instant is the API's, so the form says it in its own words. */
async function validatedWorkshop<T>(dto: new () => T, input: object): Promise<T> {
  try {
    return await validated(dto, input);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
    const unreadable = (field: string, message: string) => DATE_FIELDS.includes(field) && message.startsWith('Date et heure attendues');
    const errors = (error.errors ?? []).map(({ field, message }) => ({
      field,
      message: unreadable(field, message) ? 'Indiquez une date et une heure valides (jj/mm/aaaa hh:mm).' : message,
    }));
    throw new DomainError('validation_failed', error.detail, errors);
  }
}

/** The shared form refusal (src/web/forms.ts), with the field messages in the page's words. */
function formFailure(error: unknown, codes: ErrorCode[], form?: WorkshopForm): { status: number; errors: Record<string, string>; alert: string } {
  const failure = refusal(error, codes);
  const errors = Object.fromEntries(Object.entries(failure.errors).map(([field, message]) => [field, readable(message)]));
  // A blank closing means "at the start": with the end before the start, its error only repeats the end's.
  if (form && form.registrationClosesAt.trim() === '' && errors.endsAt) delete errors.registrationClosesAt;
  return { status: failure.status, errors, alert: failure.alert };
}

/** "jeudi 14 janvier 2027, 9 h – 12 h" */
function when(workshop: Workshop): string {
  const start = instantToLocal(new Date(workshop.startsAt), workshop.timeZone);
  const end = instantToLocal(new Date(workshop.endsAt), workshop.timeZone);
  return `${frenchLocalDate(start.date)}, ${frenchHour(start.time)} – ${frenchHour(end.time)}`;
}

function cancelWorkshopConfirmation(workshop: Workshop, reason: string): Confirmation {
  const registered = workshop.capacity - workshop.available;
  return {
    heading: `Annuler l’atelier « ${workshop.title} » ?`,
    details: [
      { label: 'Date', value: when(workshop) },
      {
        label: 'Inscriptions',
        value: `${registered} ${registered > 1 ? 'personnes inscrites' : 'personne inscrite'}, ${workshop.waitlisted} en liste d’attente`,
      },
      { label: 'Motif envoyé', value: reason },
    ],
    warning: 'L’annulation est définitive : toutes les inscriptions sont annulées et chaque personne reçoit un e-mail avec ce motif.',
    action: `/staff/ateliers/${workshop.id}/annuler`,
    fields: [{ name: 'reason', value: reason }],
    confirmLabel: 'Oui, annuler l’atelier',
    backUrl: `/staff/ateliers/${workshop.id}`,
    backLabel: 'Non, revenir à l’atelier',
  };
}

function cancelRegistrationConfirmation(workshop: Workshop, registration: { id: string; name: string; organisation: string; waiting: boolean }): Confirmation {
  return {
    heading: registration.waiting ? `Retirer ${registration.name} de la liste d’attente ?` : `Annuler l’inscription de ${registration.name} ?`,
    details: [
      { label: 'Atelier', value: workshop.title },
      { label: 'Date', value: when(workshop) },
      { label: 'Personne', value: `${registration.name} (${registration.organisation})` },
    ],
    warning: registration.waiting
      ? 'La personne perd sa place sur la liste d’attente et en est prévenue par e-mail.'
      : 'L’annulation est définitive : la personne en est prévenue par e-mail, et la place libérée revient à la première personne de la liste d’attente.',
    action: `/staff/ateliers/${workshop.id}/inscriptions/${registration.id}/annuler`,
    fields: [],
    confirmLabel: registration.waiting ? 'Oui, retirer de la liste d’attente' : 'Oui, annuler l’inscription',
    backUrl: `/staff/ateliers/${workshop.id}`,
    backLabel: 'Non, revenir à l’atelier',
  };
}

/** The service names fields by their API names in a few messages; the page says it in French. */
function readable(message: string): string {
  return message.replace(/\bstartsAt\b/g, 'le début de l’atelier').replace(/\bendsAt\b/g, 'la fin de l’atelier');
}

function errorList(errors: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({ field, message }));
}
