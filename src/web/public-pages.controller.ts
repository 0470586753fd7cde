import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import type { Response } from 'express';
import { AttestationsService } from '../attestations/attestations.service';
import { BookingsService } from '../bookings/bookings.service';
import { consentNotice } from '../bookings/consent';
import { attestationUrl, manageUrl } from '../bookings/manage-token';
import { CancelBookingDto, CreateBookingDto, RescheduleBookingDto } from '../bookings/dto/create-booking.dto';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { PersonalData } from '../common/no-store';
import { BookingRateLimit } from '../common/rate-limits';
import { uuidPipe } from '../common/uuid.pipe';
import { AppConfig } from '../config/app-config';
import { ListedSession, PermanencesService } from '../permanences/permanences.service';
import { WorkshopsService } from '../workshops/workshops.service';
import { SeriesService } from '../permanences/series.service';
import { Territory } from '../territory/territory';
import { communeChoice } from './commune-choices';
import { BOOKING_ERRORS, BOOKING_FIELDS, bookingFields, checked, Confirmation, confirmed, formFailure, FormBody, list, text, validated } from './forms';
import { Page, Pages } from './page.guard';
import { frenchHour, frenchLocalDate, PageContext, Views } from './views';
import { ListsService } from '../settings/lists.service';
import { SettingsService } from '../settings/settings.service';
import { instantToLocal } from '../calendar';

type Session = Awaited<ReturnType<PermanencesService['list']>>[number];
type Workshop = Awaited<ReturnType<WorkshopsService['list']>>[number];

/** The pages anyone can use: the programme, booking a slot or a workshop, managing a booking. */
@Controller()
@Pages()
export class PublicPagesController {
  constructor(
    private readonly views: Views,
    private readonly permanences: PermanencesService,
    private readonly workshops: WorkshopsService,
    private readonly series: SeriesService,
    private readonly bookings: BookingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly lists: ListsService,
    private readonly settings: SettingsService,
    private readonly attestations: AttestationsService,
    private readonly territory: Territory,
  ) {}

  @Get()
  async home(@Page() page: PageContext, @Res() response: Response) {
    const [sessions, workshops, series] = await Promise.all([this.permanences.list(), this.workshops.list(), this.series.list()]);
    const now = this.clock.now().toISOString();
    const usual = series.find((candidate) => candidate.isDefault) ?? null;
    const feedUrl = `${this.config.publicUrl}/calendar/public.ics`;
    this.views.send(
      response,
      'home',
      {
        sessions: sessions.filter((session) => session.endsAt > now).map((session) => sessionView(session, this.config.identity.name)),
        workshops: workshops.filter((workshop) => workshop.endsAt > now).map((workshop) => workshopView(workshop, now)),
        series: usual
          ? {
              when: usual.rule.includes('BYDAY=-1TH') ? 'le dernier jeudi du mois' : 'chaque mois',
              from: frenchHour(usual.startTime),
              to: frenchHour(usual.endTime),
            }
          : null,
        feedUrl,
        webcalUrl: feedUrl.replace(/^https?:/, 'webcal:'),
        googleUrl: `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(feedUrl.replace(/^https?:/, 'webcal:'))}`,
      },
      page,
      { title: 'Permanences et ateliers' },
    );
  }

  /** Browsers and tools that ask for the old-style icon get the SVG the layout links to. */
  @Get('favicon.ico')
  favicon(@Res() response: Response) {
    response.redirect(301, '/assets/favicon.svg');
  }

  @Get('donnees-personnelles')
  privacy(@Page() page: PageContext, @Res() response: Response) {
    this.views.send(response, 'privacy', { consent: this.consent() }, page, { title: 'Vos données personnelles' });
  }

  @Get('reserver/creneau/:slotId')
  async slotForm(@Param('slotId', uuidPipe) slotId: string, @Page() page: PageContext, @Res() response: Response) {
    await this.sendBookingForm(response, page, await this.slotTarget(slotId), {}, {});
  }

  @Get('reserver/atelier/:workshopId')
  async workshopForm(@Param('workshopId', uuidPipe) workshopId: string, @Page() page: PageContext, @Res() response: Response) {
    await this.sendBookingForm(response, page, await this.workshopTarget(workshopId), {}, {});
  }

  /** The form of a slot; once that slot was taken, it also offers other free times, chosen as `autreCreneau`. */
  @Post('reserver/creneau/:slotId')
  @BookingRateLimit()
  async bookSlot(@Param('slotId', uuidPipe) slotId: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const other = text(body, 'autreCreneau');
    // The choice is offered on the form of an existing slot: an unknown address stays a 404 whatever the fields say.
    if (other !== undefined) await this.permanences.ofSlot(slotId);
    const chosen = other ?? slotId;
    await this.book(response, page, body, { slotId: chosen }, (offerOthers) => {
      const described = isUUID(chosen) ? chosen : slotId;
      return offerOthers ? this.slotTargetOrElse(described) : this.slotTarget(described);
    });
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
    const done =
      query.fait === 'annulation'
        ? 'C’est fait : votre réservation est annulée. Un e-mail vous le confirme.'
        : query.fait === 'deplacement'
          ? 'C’est fait : votre rendez-vous est déplacé. Un e-mail vous le confirme, avec l’invitation mise à jour.'
          : null;
    await this.sendManagePage(response, { ...page, flash: done }, id, token, { fresh: query.nouveau === '1' });
  }

  /** The attendance certificate of a workshop attendee marked present; anyone else gets a French page saying why not. */
  @Get('reservations/:id/attestation.pdf')
  @PersonalData()
  async attestation(@Param('id', uuidPipe) id: string, @Query() query: Record<string, unknown>, @Res() response: Response) {
    const token = typeof query.token === 'string' ? query.token : null;
    const file = await this.attestations.download(id, { token, staff: null });
    response.status(200).type(file.contentType).attachment(file.filename).send(file.content);
  }

  /** Cancelling cannot be undone: the manage page's form leads to a confirmation page, whose form (`confirme=oui`) cancels. */
  @Post('reservations/:id/annuler')
  @PersonalData()
  async cancel(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const token = text(body, 'token') ?? '';
    const reason = text(body, 'reason') ?? '';
    try {
      const dto = await validated(CancelBookingDto, { reason });
      if (!confirmed(body)) return await this.sendCancelConfirmation(response, page, id, token, reason);
      await this.bookings.cancel(id, { token, staff: null }, dto.reason);
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      return this.sendManagePage(response.status(failure.status), page, id, token, { errors: failure.errors });
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
      const failure = formFailure(error, RESCHEDULE_ERRORS);
      const errors = failure.code === 'validation_failed' ? { slotId: 'Choisissez un nouveau créneau.' } : { slotId: failure.alert };
      return this.sendManagePage(response.status(failure.status), page, id, token, { errors });
    }
    response.redirect(303, `/reservations/${id}?token=${encodeURIComponent(token)}&fait=deplacement`);
  }

  /** `describe(offerOthers)` tells what was being booked, after a refusal; `offerOthers`: when it can no longer be booked, with other times to choose. */
  private async book(
    response: Response,
    page: PageContext,
    body: FormBody,
    target: { slotId?: string; workshopId?: string },
    describe: (offerOthers: boolean) => Promise<BookingTarget>,
  ) {
    const values = Object.fromEntries<string | string[] | boolean>([
      ...BOOKING_FIELDS.map((name): [string, string] => [name, text(body, name) ?? '']),
      ['topics', list(body, 'topics')],
      ['consent', checked(body, 'consent')],
      ['autreCreneau', text(body, 'autreCreneau') ?? ''],
    ]);
    try {
      const dto = await validated(CreateBookingDto, {
        ...target,
        ...bookingFields(body),
        consent: checked(body, 'consent') ? true : undefined,
      });
      const booking = await this.bookings.book(dto, text(body, 'idempotencyKey') || undefined);
      response.redirect(303, `/reservations/${booking.id}?token=${encodeURIComponent(booking.manageToken)}&nouveau=1`);
    } catch (error) {
      const failure = formFailure(error, BOOKING_ERRORS);
      const errors = failure.code === 'validation_failed' || failure.code === 'commune_required' ? failure.errors : {};
      // Someone who already holds this very slot is told so, not offered another one.
      const described = await describe(failure.code !== 'already_booked').catch(() => null);
      let alert = failure.alert;
      if (described?.alternatives.length) {
        errors.slotId = 'Choisissez un autre horaire.';
        const why = failure.code === 'slot_full' ? 'Ce créneau vient d’être réservé par quelqu’un d’autre.' : failure.alert;
        if (failure.code !== 'validation_failed') alert = `${why} Ce que vous avez saisi est gardé : choisissez un autre horaire ci-dessous, puis confirmez.`;
      }
      response.status(failure.status);
      // A key is kept only by a booking made: the same form sent again keeps it, unless it already booked other details.
      const idempotencyKey = failure.code === 'idempotency_key_reused' ? undefined : text(body, 'idempotencyKey');
      await this.sendBookingForm(response, page, described, { ...values, idempotencyKey }, errors, alert);
    }
  }

  private async sendBookingForm(
    response: Response,
    page: PageContext,
    target: BookingTarget | null,
    values: object,
    errors: Record<string, string>,
    alert?: string,
  ) {
    if (!target) throw new DomainError('not_found', 'Ce créneau ou cet atelier n’existe pas (ou plus).');
    const options = await this.lists.offered();
    this.views.send(
      response,
      'book',
      {
        target,
        values,
        idempotencyKey: (values as { idempotencyKey?: string }).idempotencyKey || randomUUID(),
        errors,
        alert: alert ?? null,
        topics: options.topics,
        legalForms: options.legalForms,
        communeChoice: communeChoice(this.territory, field(values, 'organisation.postcode'), field(values, 'organisation.communeCode')),
        consent: this.consent(),
        errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
      },
      page,
      { title: target.isWorkshop ? `Inscription : ${target.title}` : 'Réserver un créneau de permanence', status: response.statusCode },
    );
  }

  private async sendCancelConfirmation(response: Response, page: PageContext, id: string, token: string, reason: string) {
    const booking = await this.bookings.get(id, { token, staff: null });
    const manage = `/reservations/${id}?token=${encodeURIComponent(token)}`;
    const waiting = booking.status === 'waitlisted';
    const what = booking.workshopTitle ? `Atelier « ${booking.workshopTitle} »` : `Permanence de la ${this.config.identity.name}`;
    const confirmation: Confirmation = {
      heading: waiting ? 'Quitter la liste d’attente ?' : 'Annuler votre réservation ?',
      details: [
        { label: waiting ? 'Liste d’attente' : 'Réservation', value: what },
        { label: 'Date', value: `${frenchInstant(booking.startsAt, booking.timeZone)}` },
        { label: 'Au nom de', value: `${booking.attendee.name} (${booking.organisation.name})` },
        ...(reason.trim() ? [{ label: 'Motif', value: reason.trim() }] : []),
      ],
      warning: waiting
        ? 'Votre place sur la liste d’attente sera perdue : pour revenir, il faudra vous inscrire à nouveau, en dernière position.'
        : 'L’annulation est définitive : la place sera proposée à d’autres personnes. Un e-mail vous la confirmera.',
      action: `/reservations/${id}/annuler`,
      fields: [
        { name: 'token', value: token },
        { name: 'reason', value: reason },
      ],
      confirmLabel: waiting ? 'Oui, quitter la liste d’attente' : 'Oui, annuler ma réservation',
      backUrl: manage,
      backLabel: waiting ? 'Non, rester sur la liste d’attente' : 'Non, garder ma réservation',
    };
    this.views.send(response, 'confirm', confirmation, page, { title: confirmation.heading.replace(/ \?$/, '') });
  }

  private async sendManagePage(response: Response, page: PageContext, id: string, token: string, extra: { fresh?: boolean; errors?: Record<string, string> }) {
    const booking = await this.bookings.get(id, { token, staff: null });
    const now = this.clock.now().toISOString();
    const active = booking.status !== 'cancelled' && booking.startsAt > now;
    const slots = active && booking.status === 'confirmed' && booking.slotId ? await this.permanences.movableTo(booking.slotId) : [];
    const attestation = booking.workshopId ? await this.attestations.state(id, token) : null;
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
        // Relative, as the page's other links: the e-mails carry the absolute address (attestationUrl).
        attestationUrl: attestation === 'available' ? attestationUrl('', id, encodeURIComponent(token)) : null,
        attestationPending: attestation === 'pending',
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
    return {
      isWorkshop: false,
      title: `Permanence de la ${this.config.identity.name}`,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      timeZone: session.timeZone,
      location: session.location,
      advisor: slot.advisor?.name ?? null,
      available: slot.available,
      note: null,
      closed,
      taken: false,
      alternatives: [],
    };
  }

  /** A slot that can no longer be booked, with the other free times of its day and of the next session to choose from instead. */
  private async slotTargetOrElse(slotId: string): Promise<BookingTarget> {
    const target = await this.slotTarget(slotId);
    if (!target.closed) return target;
    const { sameDay, nextSession } = await this.permanences.freeAround(slotId);
    const alternatives = [...sameDay.map((session) => alternativeDay(session, true)), ...(nextSession ? [alternativeDay(nextSession, false)] : [])];
    return alternatives.length > 0 ? { ...target, closed: null, taken: true, alternatives } : target;
  }

  private async workshopTarget(workshopId: string): Promise<BookingTarget> {
    const workshop = await this.workshops.get(workshopId);
    const full = workshop.status === 'full';
    const closed =
      workshop.status === 'cancelled'
        ? `Cet atelier est annulé${workshop.statusReason ? ` (${workshop.statusReason})` : ''}.`
        : workshop.status === 'closed'
          ? registrationWording(workshop, this.clock.now().toISOString())
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
      note:
        full && workshop.waitlistEnabled
          ? 'L’atelier est complet : votre inscription sera placée sur la liste d’attente, et vous serez prévenu(e) par e-mail si une place se libère.'
          : null,
      taken: false,
      alternatives: [],
    };
  }

  private consent() {
    return consentNotice({ identity: this.settings.latest().identity, retentionMonths: this.config.retentionMonths });
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
  /** The slot can no longer be booked, but other free times are offered on its form instead. */
  taken: boolean;
  alternatives: AlternativeDay[];
}

type AlternativeDay = ReturnType<typeof alternativeDay>;

/** A session's free slots as radio choices of the booking form. */
function alternativeDay(session: ListedSession, sameDay: boolean) {
  return {
    sameDay,
    date: session.date,
    location: session.location,
    timeZone: session.timeZone,
    slots: session.slots.map((slot) => ({ id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt, advisor: slot.advisor?.name ?? null })),
  };
}

/** What moving a booking can be refused for, told next to the choice of slot. */
const RESCHEDULE_ERRORS: ErrorCode[] = [
  'validation_failed',
  'slot_not_found',
  'slot_full',
  'already_booked',
  'slot_in_past',
  'session_cancelled',
  'session_in_past',
  'booking_cancelled',
  'booking_waitlisted',
  'not_reschedulable',
  'same_slot',
  'conflict',
];

/** A workshop whose registration is not open: not yet (with when it opens), or no longer. */
function registrationWording(workshop: Workshop, now: string): string {
  if (workshop.registrationOpensAt !== null && workshop.registrationOpensAt > now) {
    return `Les inscriptions ouvriront le ${frenchInstant(workshop.registrationOpensAt, workshop.timeZone)}.`;
  }
  return 'Les inscriptions sont closes.';
}

/** "jeudi 14 janvier 2027 à 9 h" */
function frenchInstant(instant: string, zone: string): string {
  const local = instantToLocal(new Date(instant), zone);
  return `${frenchLocalDate(local.date)} à ${frenchHour(local.time)}`;
}

/** `cressName` names a desk not yet staffed. */
function sessionView(session: Session, cressName: string) {
  const open = session.status === 'scheduled';
  const advisors = new Map<string, { name: string; slots: Session['slots'] }>();
  for (const slot of session.slots) {
    const key = slot.advisor?.id ?? '';
    const group = advisors.get(key) ?? { name: slot.advisor?.name ?? `Conseiller·ère de la ${cressName}`, slots: [] };
    group.slots.push(slot);
    advisors.set(key, group);
  }
  const free = session.slots.reduce((sum, slot) => sum + slot.available, 0);
  return { ...session, open, free, desks: [...advisors.values()] };
}

function workshopView(workshop: Workshop, now: string) {
  return {
    ...workshop,
    registration: workshop.status === 'closed' ? registrationWording(workshop, now) : null,
    isOpen: workshop.status === 'open',
    isFull: workshop.status === 'full',
    isClosed: workshop.status === 'closed',
    isCancelled: workshop.status === 'cancelled',
  };
}

function field(values: object, name: string): unknown {
  return (values as Record<string, unknown>)[name];
}
