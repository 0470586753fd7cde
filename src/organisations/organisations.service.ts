import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { seesAttendees, StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { presentFollowUp } from '../follow-ups/follow-ups.service';
import { JournalService } from '../journal/journal.service';
import { ListLabels, ListsService } from '../settings/lists.service';
import { communeOf } from '../territory/commune-choice';
import { Territory } from '../territory/territory';
import { UpdateOrganisationDto } from './dto/organisation.dto';
import { OrganisationRow, OrganisationsRepository } from './organisations.repository';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsRepository,
    private readonly config: AppConfig,
    private readonly journal: JournalService,
    private readonly lists: ListsService,
    private readonly clock: Clock,
    private readonly territory: Territory,
  ) {}

  async list(search?: string, limit = 50, offset = 0) {
    const labels = await this.lists.labels();
    const communeCodes = search ? this.territory.communeCodesNamed(search) : [];
    return (await this.organisations.list(search || null, communeCodes, limit, offset)).map((row) => present(row, labels, this.territory));
  }

  /**
   * The entry with every booking and registration, topics, attendance and the orientations given.
   * Admins also get its contact people, who came each time and each appointment's follow-up; an
   * advisor gets who came and the follow-up where their agenda shows them (their desk's appointments,
   * the workshops; a follow-up to do for them), never the contact people; the viewer only figures.
   */
  async get(id: string, staff: StaffUser) {
    return this.detail(id, staff);
  }

  private async detail(id: string, staff: StaffUser) {
    const organisation = await this.find(id);
    const history = await this.organisations.history(id, `Permanence de la ${this.config.identity.name}`);
    const labels = await this.lists.labels();
    const bookings = history.map(({ attendeeName, deskAdvisorId, followUp, ...row }) => {
      const own = staff.role === 'admin' || (staff.role === 'advisor' && (row.kind === 'workshop' || deskAdvisorId === staff.id));
      const readsFollowUp = own || (staff.role === 'advisor' && followUp?.followUpAdvisorId === staff.id);
      return {
        ...row,
        startsAt: new Date(row.startsAt).toISOString(),
        ...(own && seesAttendees(staff) ? { attendeeName } : {}),
        topics: row.topics.map((topic) => ({ code: topic, label: labels.topic(topic) })),
        // Figures, not personal data: every role sees what the organisation was referred to.
        orientations: (followUp?.orientations ?? []).map((code) => ({ code, label: labels.orientation(code) })),
        ...(readsFollowUp && seesAttendees(staff) ? { followUp: followUp ? presentFollowUp(followUp, labels) : null } : {}),
      };
    });
    if (staff.role !== 'admin') return { ...present(organisation, labels, this.territory), bookings };
    return { ...present(organisation, labels, this.territory), contacts: await this.organisations.contacts(id), bookings };
  }

  /** An admin's correction; the answer is the entry in full. */
  async update(id: string, dto: UpdateOrganisationDto, actor: StaffUser) {
    const organisation = await this.find(id);
    if (organisation.mergedInto) throw new DomainError('organisation_merged', 'Cette fiche a été fusionnée dans une autre : corrigez celle-ci.');
    // The form keeps an archived legal form the entry already has; a new choice must be offered.
    if (dto.legalForm && dto.legalForm !== organisation.legalForm)
      await this.lists.checkOffered({ legalForm: dto.legalForm }, { legalForm: 'legalForm', topics: 'topics' });
    const changes = { ...dto, ...this.place(dto, organisation) };
    await this.dataSource.transaction(async (manager) => {
      await this.organisations.update(id, changes, this.clock.now(), manager);
      await this.journal.record(manager, {
        actor,
        action: 'organisation.corrected',
        subject: { type: 'organisation', id },
        summary: `Fiche « ${dto.name ?? organisation.name} » corrigée`,
        details: { changed: Object.keys(changes).filter((key) => changes[key as keyof UpdateOrganisationDto] !== undefined) },
      });
    });
    return this.detail(id, actor);
  }

  /**
   * Merges `id` into `into`: its bookings move over, and bookings that would have found `id` (same
   * SIRET, or same name and postcode) now find `into`.
   */
  async merge(id: string, into: string, actor: StaffUser) {
    if (id === into)
      throw new DomainError('validation_failed', 'Une fiche ne se fusionne pas avec elle-même.', [{ field: 'into', message: 'Choisissez une autre fiche.' }]);
    // The names, for the journal's sentence (a missing entry is refused as inside the transaction).
    const names = await Promise.all([this.find(id), this.find(into)]).then((rows) => rows.map((row) => row.name));
    await this.dataSource.transaction(async (manager) => {
      // Both rows locked in id order, so two merges cannot cross.
      const [first, second] = [id, into].sort();
      const locked = [...(await this.organisations.lock(first, manager)), ...(await this.organisations.lock(second, manager))];
      const source = locked.find((row) => row.id === id);
      const target = locked.find((row) => row.id === into);
      if (!source || !target) throw new DomainError('organisation_not_found', 'Fiche de structure introuvable.');
      if (source.mergedInto || target.mergedInto) throw new DomainError('organisation_merged', 'L’une des deux fiches a déjà été fusionnée.');
      await this.organisations.merge(id, into, this.clock.now(), manager);
      await this.journal.record(manager, {
        actor,
        action: 'organisation.merged',
        subject: { type: 'organisation', id: into },
        summary: `Fiche « ${names[0]} » fusionnée dans « ${names[1]} »`,
        details: { merged: id, into },
      });
    });
    return this.detail(into, actor);
  }

  /**
   * The postcode and commune after a correction: a new postcode's only commune, or the one chosen
   * among its communes; none without a postcode. While the postcode stays, the entry's commune stays
   * unless another is chosen, and an entry without one keeps none when its postcode has several (the
   * pages send the postcode with every correction: correcting the sector must not require it).
   */
  private place(dto: UpdateOrganisationDto, organisation: OrganisationRow): Pick<UpdateOrganisationDto, 'postcode' | 'communeCode'> {
    if (dto.postcode === undefined && dto.communeCode === undefined) return {};
    const postcode = dto.postcode === undefined ? organisation.postcode : dto.postcode;
    const chosen = dto.communeCode ?? null;
    if (postcode === organisation.postcode && chosen === null) {
      const communes = postcode === null ? [] : this.territory.communesForPostcode(postcode);
      return { postcode, communeCode: organisation.communeCode ?? (communes.length === 1 ? communes[0].code : null) };
    }
    return { postcode, communeCode: communeOf(this.territory, { postcode, communeCode: chosen }) };
  }

  private async find(id: string): Promise<OrganisationRow> {
    const organisation = await this.organisations.byId(id);
    if (!organisation) throw new DomainError('organisation_not_found', 'Fiche de structure introuvable.');
    return organisation;
  }
}

function present(row: OrganisationRow, labels: ListLabels, territory: Territory) {
  const commune = row.communeCode ? territory.commune(row.communeCode) : null;
  return {
    id: row.id,
    name: row.name,
    siret: row.siret,
    legalForm: row.legalForm,
    legalFormLabel: labels.legalForm(row.legalForm),
    esusApproved: row.esusApproved,
    sector: row.sector,
    postcode: row.postcode,
    communeCode: row.communeCode,
    // The register's free text (an organisation abroad, or typed before communes were recorded) where no code is known.
    commune: commune?.name ?? row.commune,
    inMetropolis: commune ? commune.inMetropolis : null,
    mergedInto: row.mergedInto,
    permanenceBookings: row.bookings,
    workshopRegistrations: row.workshops,
    lastBookingAt: row.lastBookingAt ? new Date(row.lastBookingAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
