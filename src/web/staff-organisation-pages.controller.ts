import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { DomainError } from '../common/domain-error';
import { uuidPipe } from '../common/uuid.pipe';
import { ListOrganisationsQuery, MergeOrganisationDto, UpdateOrganisationDto } from '../organisations/dto/organisation.dto';
import { OrganisationsService } from '../organisations/organisations.service';
import { Territory } from '../territory/territory';
import { communeChoice } from './commune-choices';
import { communeChosen, errorsByField, FormBody, text, validated } from './forms';
import { Page, Pages, PageStaff, StaffPage } from './page.guard';
import { PageContext, Views } from './views';
import { ListsService } from '../settings/lists.service';

type Organisation = Awaited<ReturnType<OrganisationsService['get']>>;

const PAGE_SIZE = 50;
/** Entries offered as the one to keep, in the merge form. */
const CANDIDATES = 20;
/** The correction form's fields, named as the DTO's. */
const FIELDS = ['name', 'siret', 'legalForm', 'esusApproved', 'sector', 'postcode', 'communeCode'] as const;

const STATUS = {
  confirmed: { label: 'Confirmée', badge: 'badge-on' },
  waitlisted: { label: 'Liste d’attente', badge: 'badge-wait' },
  cancelled: { label: 'Annulée', badge: 'badge-off' },
} as Record<string, { label: string; badge: string }>;
const ATTENDANCE: Record<string, string> = { present: 'Présent·e', absent: 'Absent·e', excused: 'Excusé·e' };
const DONE: Record<string, string> = {
  correction: 'C’est fait : la fiche est corrigée.',
  fusion: 'C’est fait : les deux fiches sont fusionnées. Voici la fiche conservée, avec les réservations de l’autre.',
  suivi: 'C’est fait : le suivi du rendez-vous est enregistré.',
};

interface DetailOptions {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  alert?: string | null;
  search?: string;
}

/**
 * The register of organisations: search, an entry and its history for admins and the metropolis'
 * viewer (who sees no contact person nor who came); corrections and merging a duplicate for admins.
 */
@Controller('staff')
@Pages()
export class StaffOrganisationPagesController {
  constructor(
    private readonly views: Views,
    private readonly organisations: OrganisationsService,
    private readonly lists: ListsService,
    private readonly territory: Territory,
  ) {}

  @Get('organisations')
  @StaffPage('admin', 'viewer')
  async list(@Query() query: Record<string, unknown>, @Page() page: PageContext, @Res() response: Response) {
    const q = typeof query.q === 'string' ? query.q : '';
    const pageNumber = typeof query.page === 'string' && /^[1-9]\d{0,5}$/.test(query.page) ? Number(query.page) : 1;
    const model = {
      q,
      organisations: [] as object[],
      errors: {} as Record<string, string>,
      pageNumber,
      previousUrl: null as string | null,
      nextUrl: null as string | null,
    };
    try {
      const dto = await validated(ListOrganisationsQuery, { q: q === '' ? undefined : q });
      // One more than shown: whether there is a next page.
      const found = await this.organisations.list(dto.q, PAGE_SIZE + 1, (pageNumber - 1) * PAGE_SIZE);
      model.organisations = found.slice(0, PAGE_SIZE);
      const url = (n: number) => `/staff/organisations?${new URLSearchParams({ ...(dto.q ? { q: dto.q } : {}), page: String(n) })}`;
      model.previousUrl = pageNumber > 1 ? url(pageNumber - 1) : null;
      model.nextUrl = found.length > PAGE_SIZE ? url(pageNumber + 1) : null;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      model.errors = errorsByField(error);
      response.status(422);
    }
    this.views.send(response, 'staff/organisations', model, page, { title: 'Registre des structures', status: response.statusCode });
  }

  @Get('organisations/:id')
  @StaffPage('admin', 'viewer', 'advisor')
  async detail(
    @Param('id', uuidPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Page() page: PageContext,
    @PageStaff() staff: StaffUser,
    @Res() response: Response,
  ) {
    const flash = typeof query.fait === 'string' ? (DONE[query.fait] ?? null) : null;
    await this.sendDetail(response, { ...page, flash }, staff, id, { search: typeof query.cible === 'string' ? query.cible : '' });
  }

  @Post('organisations/:id')
  @StaffPage('admin')
  async correct(
    @Param('id', uuidPipe) id: string,
    @Body() body: FormBody,
    @Page() page: PageContext,
    @PageStaff() staff: StaffUser,
    @Res() response: Response,
  ) {
    const values = Object.fromEntries(FIELDS.map((name) => [name, text(body, name) ?? '']));
    try {
      const dto = await validated(UpdateOrganisationDto, {
        name: text(body, 'name'),
        siret: orNull(text(body, 'siret')),
        legalForm: orNull(text(body, 'legalForm')),
        esusApproved: esus(text(body, 'esusApproved')),
        sector: orNull(text(body, 'sector')),
        postcode: orNull(text(body, 'postcode')),
        // The commune is the postcode's, or the one chosen among its communes (commune-choice.hbs).
        communeCode: communeChosen(body) ?? null,
      });
      await this.organisations.update(id, dto, staff);
    } catch (error) {
      if (!(error instanceof DomainError) || !['validation_failed', 'commune_required', 'organisation_merged'].includes(error.code)) throw error;
      const invalid = error.code !== 'organisation_merged';
      response.status(422);
      const errors = invalid ? errorsByField(error) : {};
      if (errors.communeCode) errors.communeCode = 'Choisissez la commune dans la liste.';
      return this.sendDetail(response, page, staff, id, {
        values,
        errors,
        alert: invalid ? 'La fiche n’est pas corrigée : voyez les messages sous les champs à revoir.' : error.detail,
      });
    }
    response.redirect(303, `/staff/organisations/${id}?fait=correction`);
  }

  @Post('organisations/:id/fusionner')
  @StaffPage('admin')
  async merge(@Param('id', uuidPipe) id: string, @Body() body: FormBody, @Page() page: PageContext, @PageStaff() staff: StaffUser, @Res() response: Response) {
    const search = text(body, 'cible') ?? '';
    let into: string;
    try {
      into = (await validated(MergeOrganisationDto, { into: text(body, 'into') })).into;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      response.status(422);
      return this.sendDetail(response, page, staff, id, { search, errors: { into: 'Choisissez dans la liste la fiche à conserver.' } });
    }
    try {
      await this.organisations.merge(id, into, staff);
    } catch (error) {
      if (!(error instanceof DomainError) || !['validation_failed', 'organisation_merged', 'organisation_not_found'].includes(error.code)) throw error;
      response.status(422);
      // A missing source entry is found missing again by the page itself (404).
      return this.sendDetail(response, page, staff, id, { search, errors: { into: errorsByField(error).into ?? error.detail } });
    }
    response.redirect(303, `/staff/organisations/${into}?fait=fusion`);
  }

  private async sendDetail(response: Response, page: PageContext, staff: StaffUser, id: string, options: DetailOptions) {
    const organisation = await this.organisations.get(id, staff);
    const editable = staff.role === 'admin' && !organisation.mergedInto;
    const errors = { ...options.errors };
    const search = (options.search ?? '').trim();
    let candidates: object[] = [];
    if (search !== '' && editable) {
      try {
        const dto = await validated(ListOrganisationsQuery, { q: search });
        candidates = (await this.organisations.list(dto.q, CANDIDATES + 1, 0)).filter((entry) => entry.id !== id).slice(0, CANDIDATES);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
        errors.cible ??= errorsByField(error).q ?? error.detail;
      }
    }
    // An entry whose legal form was archived keeps it in the choice, so saving the form does not change it.
    const legalForms: Array<{ code: string; label: string }> = (await this.lists.offered()).legalForms;
    const values = options.values ?? formValues(organisation);
    if (organisation.legalForm && !legalForms.some((entry) => entry.code === organisation.legalForm))
      legalForms.push({ code: organisation.legalForm, label: organisation.legalFormLabel ?? organisation.legalForm });
    this.views.send(
      response,
      'staff/organisation',
      {
        organisation: organisationView(organisation),
        contacts:
          'contacts' in organisation
            ? organisation.contacts.map((contact) => ({ ...contact, lastBookingAt: new Date(contact.lastBookingAt).toISOString() }))
            : null,
        history: organisation.bookings.map(historyRow),
        followUps: organisation.bookings.flatMap(followUpRow),
        withFollowUps: staff.role !== 'viewer',
        isAdvisor: staff.role === 'advisor',
        withAttendees: 'contacts' in organisation,
        editable,
        values,
        communeChoice: communeChoice(this.territory, values.postcode, values.communeCode),
        errors,
        alert: options.alert ?? null,
        legalForms,
        search,
        searched: search !== '',
        candidates,
      },
      page,
      { title: `Structure : ${organisation.name}`, status: response.statusCode },
    );
  }
}

/** An emptied optional field clears it. */
function orNull(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.trim() === '' ? null : value;
}

function esus(value: string | undefined): boolean | string | null | undefined {
  if (value === undefined) return undefined;
  if (value === '') return null;
  return value === 'oui' ? true : value === 'non' ? false : value;
}

function formValues(organisation: Organisation): Record<string, string> {
  return {
    name: organisation.name,
    siret: organisation.siret ?? '',
    legalForm: organisation.legalForm ?? '',
    esusApproved: organisation.esusApproved === null ? '' : organisation.esusApproved ? 'oui' : 'non',
    sector: organisation.sector ?? '',
    postcode: organisation.postcode ?? '',
    communeCode: organisation.communeCode ?? '',
  };
}

function organisationView(organisation: Organisation) {
  const { bookings: _bookings, ...entry } = organisation;
  delete (entry as { contacts?: unknown }).contacts;
  return {
    ...entry,
    esusText: organisation.esusApproved === null ? 'Non renseigné' : organisation.esusApproved ? 'Oui' : 'Non',
    areaText: organisation.inMetropolis === null ? null : organisation.inMetropolis ? 'dans la Métropole' : 'hors Métropole',
    mergedIntoUrl: organisation.mergedInto ? `/staff/organisations/${organisation.mergedInto}` : null,
  };
}

function historyRow(booking: Organisation['bookings'][number]) {
  // The history's columns come from SQL, typed loosely by the service.
  const row = booking as Record<string, unknown> & Pick<typeof booking, 'topics'> & { attendeeName?: string | null; attendance: string | null };
  const status = STATUS[String(row.status)] ?? { label: String(row.status), badge: 'badge-wait' };
  return {
    startsAt: new Date(row.startsAt as string | Date).toISOString(),
    kind: row.kind === 'workshop' ? 'Atelier' : 'Permanence',
    title: String(row.title),
    attendeeName: row.attendeeName === undefined ? null : String(row.attendeeName),
    status: status.label,
    badge: status.badge,
    topics: row.topics.map((topic) => topic.label).join(', '),
    attendance: row.attendance === null ? 'Non renseignée' : (ATTENDANCE[String(row.attendance)] ?? String(row.attendance)),
    orientations: booking.orientations.map((entry) => entry.label).join(', '),
  };
}

/**
 * A permanence appointment in the « Suivi des rendez-vous » section: those with a follow-up the staff
 * member reads, and the attended ones they may write one for (admins; an advisor for their own desk,
 * the appointments whose attendee they see — FollowUpsService checks it again).
 */
function followUpRow(booking: Organisation['bookings'][number]) {
  if (booking.kind !== 'permanence') return [];
  const followUp = 'followUp' in booking ? booking.followUp : null;
  const writable = 'attendeeName' in booking && booking.status === 'confirmed' && booking.attendance === 'present';
  if (!followUp && !writable) return [];
  return [
    {
      id: booking.id,
      startsAt: booking.startsAt,
      attendeeName: 'attendeeName' in booking ? booking.attendeeName : null,
      writable,
      followUp: followUp
        ? {
            ...followUp,
            orientations: followUp.orientations.map((entry) => entry.label),
            edited: followUp.updatedAt !== followUp.createdAt,
          }
        : null,
    },
  ];
}
