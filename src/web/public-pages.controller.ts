import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { bookingOptions } from '../bookings/booking-options';
import { BookingsService } from '../bookings/bookings.service';
import { consentNotice } from '../bookings/consent';
import { manageUrl } from '../bookings/manage-token';
import { CancelBookingDto, CreateBookingDto, RescheduleBookingDto } from '../bookings/dto/create-booking.dto';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { PersonalData } from '../common/no-store';
import { BookingRateLimit } from '../common/rate-limits';
import { uuidPipe } from '../common/uuid.pipe';
import { AppConfig } from '../config/app-config';
import { PermanencesService } from '../permanences/permanences.service';
import { WorkshopsService } from '../workshops/workshops.service';
import { checked, errorsByField, FormBody, list, text, validated } from './forms';
import { Page, Pages } from './page.guard';
import { PageContext, Views } from './views';

type Session = Awaited<ReturnType<PermanencesService['list']>>[number];
type Workshop = Awaited<ReturnType<WorkshopsService['list']>>[number];

/** The booking form's fields, as named in the page and in the API's field errors. */
const BOOKING_FIELDS = ['attendee.name', 'attendee.email', 'attendee.phone', 'organisation.name', 'organisation.siret', 'organisation.legalForm', 'organisation.postcode', 'message'] as const;

/** The pages anyone can use: the programme, booking a slot or a workshop, managing a booking. */
@Controller()
@Pages()
export class PublicPagesController {
  constructor(
    private readonly views: Views,
    private readonly permanences: PermanencesService,
    private readonly workshops: WorkshopsService,
    private readonly bookings: BookingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Get()
  async home(@Page() page: PageContext, @Res() response: Response) {
    const [sessions, workshops] = await Promise.all([this.permanences.list(), this.workshops.list()]);
    const now = this.clock.now().toISOString();
    const feedUrl = `${this.config.publicUrl}/calendar/public.ics`;
    this.views.send(
      response,
      'home',
      {
        sessions: sessions.filter((session) => session.endsAt > now).map(sessionView),
        workshops: workshops.filter((workshop) => workshop.endsAt > now).map(workshopView),
        feedUrl,
        webcalUrl: feedUrl.replace(/^https?:/, 'webcal:'),
        googleUrl: `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(feedUrl.replace(/^https?:/, 'webcal:'))}`,
      },
      page,
      { title: 'Rendez-vous ESS – permanences et ateliers de la CRESS' },
    );
  }

  @Get('donnees-personnelles')
  privacy(@Page() page: PageContext, @Res() response: Response) {
    this.views.send(response, 'privacy', { consent: this.consent() }, page, { title: 'Vos données personnelles' });
  }

  @Get('reserver/creneau/:slotId')
  async slotForm(@Param('slotId', uuidPipe) slotId: string, @Page() page: PageContext, @Res() response: Response) {
    this.sendBookingForm(response, page, await this.slotTarget(slotId), {}, {});
  }

  @Get('reserver/atelier/:workshopId')
  async workshopForm(@Param('workshopId', uuidPipe) workshopId: string, @Page() page: PageContext, @Res() response: Response) {
    this.sendBookingForm(response, page, await this.workshopTarget(workshopId), {}, {});
  }

  @Post('reserver/creneau/:slotId')
  @BookingRateLimit()
  async bookSlot(@Param('slotId', uuidPipe) slotId: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    await this.book(response, page, body, { slotId }, () => this.slotTarget(slotId));
  }

  @Post('reserver/atelier/:workshopId')
  @BookingRateLimit()
  async bookWorkshop(@Param('workshopId', uuidPipe) workshopId: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    await this.book(response, page, body, { workshopId }, () => this.workshopTarget(workshopId));
  }

  /** The e-mailed link: the booking, and what its holder can do with it. `nouveau` marks the confirmation. */
  @Get('reservations/:id')
  @PersonalData()
  async manage(@Param('id', uuidPipe) id: string, @Query() query: Record<string, unknown>, @Page() page: PageContext, @Res() response: Response) {
    const token = typeof query.token === 'string' ? query.token : '';
    const done = query.fait === 'annulation' ? 'C’est fait : votre réservation est annulée. Un e-mail vous le confirme.' : query.fait === 'deplacement' ? 'C’est fait : votre rendez-vous est déplacé. Un e-mail vous le confirme, avec l’invitation mise à jour.' : null;
    await this.sendManagePage(response, { ...page, flash: done }, id, token, { fresh: query.nouveau === '1' });
  }

  @Post('reservations/:id/annuler')
  @PersonalData()
  async cancel(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const token = text(body, 'token') ?? '';
    try {
      const dto = await validated(CancelBookingDto, { reason: text(body, 'reason') });
      await this.bookings.cancel(id, { token, staff: null }, dto.reason);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      return this.sendManagePage(response.status(422), page, id, token, { errors: errorsByField(error) });
    }
    response.redirect(303, `/reservations/${id}?token=${encodeURIComponent(token)}&fait=annulation`);
  }

  @Post('reservations/:id/deplacer')
  @PersonalData()
  async reschedule(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const token = text(body, 'token') ?? '';
    try {
      const dto = await validated(RescheduleBookingDto, { slotId: text(body, 'slotId') });
      await this.bookings.reschedule(id, { token, staff: null }, dto.slotId);
    } catch (error) {
      if (!(error instanceof DomainError) || !isFormError(error)) throw error;
      const errors = error.code === 'validation_failed' ? { slotId: 'Choisissez un nouveau créneau.' } : { slotId: error.detail };
      return this.sendManagePage(response.status(error.code === 'validation_failed' ? 422 : 409), page, id, token, { errors });
    }
    response.redirect(303, `/reservations/${id}?token=${encodeURIComponent(token)}&fait=deplacement`);
  }

  private async book(response: Response, page: PageContext, body: FormBody, target: { slotId?: string; workshopId?: string }, describe: () => Promise<BookingTarget>) {
    const values = Object.fromEntries<string | string[] | boolean>([...BOOKING_FIELDS.map((name): [string, string] => [name, text(body, name) ?? '']), ['topics', list(body, 'topics')], ['consent', checked(body, 'consent')]]);
    try {
      const dto = await validated(CreateBookingDto, {
        ...target,
        attendee: { name: text(body, 'attendee.name'), email: text(body, 'attendee.email'), phone: text(body, 'attendee.phone') },
        organisation: {
          name: text(body, 'organisation.name'),
          siret: text(body, 'organisation.siret'),
          legalForm: text(body, 'organisation.legalForm') || undefined,
          postcode: text(body, 'organisation.postcode'),
        },
        topics: list(body, 'topics'),
        message: text(body, 'message'),
        consent: checked(body, 'consent') ? true : undefined,
      });
      const booking = await this.bookings.book(dto);
      response.redirect(303, `/reservations/${booking.id}?token=${encodeURIComponent(booking.manageToken)}&nouveau=1`);
    } catch (error) {
      if (!(error instanceof DomainError) || !isFormError(error)) throw error;
      const status = error.code === 'validation_failed' ? 422 : error.code.endsWith('_not_found') ? 404 : 409;
      const errors = error.code === 'validation_failed' ? errorsByField(error) : {};
      const alert = error.code === 'validation_failed' ? 'Certains champs sont à corriger : voyez les messages sous chacun d’eux.' : error.detail;
      response.status(status);
      this.sendBookingForm(response, page, await describe().catch(() => null), values, errors, alert);
    }
  }

  private sendBookingForm(response: Response, page: PageContext, target: BookingTarget | null, values: object, errors: Record<string, string>, alert?: string) {
    if (!target) throw new DomainError('not_found', 'Ce créneau ou cet atelier n’existe pas (ou plus).');
    const options = bookingOptions();
    this.views.send(
      response,
      'book',
      { target, values, errors, alert: alert ?? null, topics: options.topics, legalForms: options.legalForms, consent: this.consent(), errorList: Object.entries(errors).map(([field, message]) => ({ field, message })) },
      page,
      { title: target.isWorkshop ? `Inscription : ${target.title}` : 'Réserver un créneau de permanence', status: response.statusCode },
    );
  }

  private async sendManagePage(response: Response, page: PageContext, id: string, token: string, extra: { fresh?: boolean; errors?: Record<string, string> }) {
    const booking = await this.bookings.get(id, { token, staff: null });
    const now = this.clock.now().toISOString();
    const active = booking.status !== 'cancelled' && booking.startsAt > now;
    const slots =
      active && booking.status === 'confirmed' && !booking.workshopId
        ? (await this.permanences.list()).filter((session) => session.status === 'scheduled').flatMap((session) =>
            session.slots.filter((slot) => slot.available > 0 && slot.id !== booking.slotId).map((slot) => ({ ...slot, timeZone: session.timeZone })),
          )
        : [];
    this.views.send(
      response,
      'manage',
      {
        booking,
        token,
        fresh: extra.fresh ?? false,
        manageUrl: manageUrl(this.config.publicUrl, id, token),
        errors: extra.errors ?? {},
        active,
        canReschedule: slots.length > 0,
        slots,
        inviteUrl: booking.status === 'confirmed' ? `/api/bookings/${id}/invite.ics?token=${encodeURIComponent(token)}` : null,
        isWaitlisted: booking.status === 'waitlisted',
        isCancelled: booking.status === 'cancelled',
      },
      page,
      { title: extra.fresh ? 'Votre réservation est enregistrée' : 'Votre réservation', status: response.statusCode },
    );
  }

  private async slotTarget(slotId: string): Promise<BookingTarget> {
    const session = await this.permanences.ofSlot(slotId);
    const slot = session.slots.find((candidate) => candidate.id === slotId)!;
    const closed =
      session.status === 'cancelled'
        ? `Cette permanence est annulée${session.statusReason ? ` (${session.statusReason})` : ''}.`
        : slot.available === 0
          ? 'Ce créneau n’est plus disponible : il vient d’être réservé ou il est passé.'
          : null;
    return { isWorkshop: false, title: 'Permanence de la CRESS', startsAt: slot.startsAt, endsAt: slot.endsAt, timeZone: session.timeZone, location: session.location, advisor: slot.advisor?.name ?? null, available: slot.available, note: null, closed };
  }

  private async workshopTarget(workshopId: string): Promise<BookingTarget> {
    const workshop = await this.workshops.get(workshopId);
    const full = workshop.status === 'full';
    const closed =
      workshop.status === 'cancelled'
        ? `Cet atelier est annulé${workshop.statusReason ? ` (${workshop.statusReason})` : ''}.`
        : workshop.status === 'closed'
          ? 'Les inscriptions à cet atelier ne sont pas ouvertes.'
          : full && !workshop.waitlistEnabled
            ? 'Cet atelier est complet.'
            : null;
    return {
      closed,
      isWorkshop: true,
      title: workshop.title,
      startsAt: workshop.startsAt,
      endsAt: workshop.endsAt,
      timeZone: workshop.timeZone,
      location: workshop.location,
      advisor: null,
      available: workshop.available,
      note: full && workshop.waitlistEnabled ? 'L’atelier est complet : votre inscription sera placée sur la liste d’attente, et vous serez prévenu(e) par e-mail si une place se libère.' : null,
    };
  }

  private consent() {
    return consentNotice({ retentionMonths: this.config.retentionMonths, contactEmail: this.config.organizerEmail });
  }
}

interface BookingTarget {
  isWorkshop: boolean;
  title: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  location: string;
  advisor: string | null;
  available: number;
  note: string | null;
  /** Why it cannot be booked now (the form is then not shown); null when it can. */
  closed: string | null;
}

/** Errors a person can act on from the form itself (as opposed to a broken link or a fault). */
function isFormError(error: DomainError): boolean {
  return !['booking_not_found', 'token_required', 'forbidden', 'internal_error', 'service_unavailable'].includes(error.code);
}

function sessionView(session: Session) {
  const open = session.status === 'scheduled';
  const advisors = new Map<string, { name: string; slots: Session['slots'] }>();
  for (const slot of session.slots) {
    const key = slot.advisor?.id ?? '';
    const group = advisors.get(key) ?? { name: slot.advisor?.name ?? 'Conseiller·ère de la CRESS', slots: [] };
    group.slots.push(slot);
    advisors.set(key, group);
  }
  const free = session.slots.reduce((sum, slot) => sum + slot.available, 0);
  return { ...session, open, free, desks: [...advisors.values()] };
}

function workshopView(workshop: Workshop) {
  return { ...workshop, isOpen: workshop.status === 'open', isFull: workshop.status === 'full', isClosed: workshop.status === 'closed', isCancelled: workshop.status === 'cancelled' };
}
