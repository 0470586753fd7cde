import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { PersonEmailDto } from '../personal-data/personal-data.controller';
import { PersonalDataService } from '../personal-data/personal-data.service';
import { Confirmation, confirmed, formFailure, FormBody, text, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';

const STATUS: Record<string, string> = { confirmed: 'Confirmée', waitlisted: 'Liste d’attente', cancelled: 'Annulée' };
const ROOT = '/staff/donnees-personnelles';

/**
 * /staff/donnees-personnelles (admin): everything held about one e-mail address, its download as
 * JSON, and its erasure after a confirmation that says what will happen — the same service as
 * /api/personal-data.
 */
@Controller('staff')
@Pages()
export class StaffPersonalDataPagesController {
  constructor(
    private readonly views: Views,
    private readonly personalData: PersonalDataService,
  ) {}

  @Get('donnees-personnelles')
  @StaffPage('admin')
  async find(@Query() query: FormBody, @Page() page: PageContext, @Res() response: Response) {
    const email = text(query, 'email');
    const model = { values: { email: email ?? '' }, errors: {} as Record<string, string>, found: null as object | null };
    if (email !== undefined) {
      try {
        const dto = await validated(PersonEmailDto, { email });
        const [held, preview] = await Promise.all([this.personalData.held(dto.email), this.personalData.erasurePreview(dto.email)]);
        model.found = {
          email: dto.email,
          bookings: held.bookings.map((booking) => ({ ...booking, statusLabel: STATUS[booking.status] ?? booking.status })),
          messages: held.messages.length,
          preview,
          downloadUrl: `${ROOT}/export.json?${new URLSearchParams({ email: dto.email })}`,
        };
      } catch (error) {
        const failure = formFailure(error, ['validation_failed']);
        model.errors = failure.errors;
        response.status(failure.status);
      }
    }
    this.views.send(response, 'staff/personal-data', model, page, { title: 'Données personnelles d’une personne', status: response.statusCode });
  }

  @Get('donnees-personnelles/export.json')
  @StaffPage('admin')
  async download(@Query() query: FormBody, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const dto = await validated(PersonEmailDto, { email: text(query, 'email') });
    const held = await this.personalData.export(dto.email, staff);
    response
      .status(200)
      .set({ 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': 'attachment; filename="donnees-personnelles.json"' })
      .send(JSON.stringify(held, null, 2));
  }

  @Post('donnees-personnelles/effacer')
  @StaffPage('admin')
  async erase(@Body() body: FormBody, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const email = text(body, 'email') ?? '';
    let dto: PersonEmailDto;
    try {
      dto = await validated(PersonEmailDto, { email });
    } catch (error) {
      const failure = formFailure(error, ['validation_failed']);
      response.status(failure.status);
      return this.views.send(response, 'staff/personal-data', { values: { email }, errors: failure.errors, found: null }, page, {
        title: 'Données personnelles d’une personne',
        status: failure.status,
      });
    }
    if (!confirmed(body)) {
      const preview = await this.personalData.erasurePreview(dto.email);
      return this.views.send(response, 'confirm', erasureConfirmation(preview), page, { title: 'Effacer les données d’une personne' });
    }
    const done = await this.personalData.erase(dto.email, staff);
    const flash = `C’est fait : les données de ${dto.email} sont effacées (${done.cancelledBookings} réservation(s) à venir annulée(s), ${done.anonymisedBookings} anonymisée(s), ${done.droppedMessages} message(s) non envoyé(s) supprimé(s)).`;
    this.views.send(
      response,
      'staff/personal-data',
      { values: { email: '' }, errors: {}, found: null },
      { ...page, flash },
      { title: 'Données personnelles d’une personne' },
    );
  }
}

function count(n: number, one: string, many: string): string {
  return n === 0 ? `aucune ${one}` : `${n} ${n > 1 ? many : one}`;
}

function erasureConfirmation(preview: Awaited<ReturnType<PersonalDataService['erasurePreview']>>): Confirmation {
  return {
    heading: `Effacer les données de ${preview.email} ?`,
    details: [
      {
        label: 'Rendez-vous de permanence à venir',
        value: `${count(preview.upcomingPermanences, 'réservation annulée', 'réservations annulées')} : les créneaux redeviennent libres`,
      },
      {
        label: 'Places d’atelier à venir',
        value: `${count(preview.upcomingWorkshopSeats, 'place libérée', 'places libérées')}${preview.waitlistPromotions > 0 ? `, dont ${preview.waitlistPromotions} donnée(s) à la première personne de la liste d’attente` : ''}`,
      },
      { label: 'Listes d’attente', value: count(preview.waitlistPlaces, 'place abandonnée', 'places abandonnées') },
      {
        label: 'Messages pas encore envoyés',
        value:
          preview.pendingMessages === 0 ? 'aucun message' : `${preview.pendingMessages} message${preview.pendingMessages > 1 ? 's supprimés' : ' supprimé'}`,
      },
      { label: 'Réservations anonymisées', value: `${preview.bookings} (les chiffres des rapports restent)` },
    ],
    warning:
      'L’effacement est définitif : le nom, l’adresse, le téléphone et les messages de cette personne sont remplacés partout, et il n’est plus possible de les retrouver. Les conseillers concernés sont prévenus des annulations.',
    action: `${ROOT}/effacer`,
    fields: [{ name: 'email', value: preview.email }],
    confirmLabel: 'Oui, effacer ces données',
    backUrl: `${ROOT}?${new URLSearchParams({ email: preview.email })}`,
    backLabel: 'Non, revenir sans rien effacer',
  };
}
