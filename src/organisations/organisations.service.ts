import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEGAL_FORMS, LegalForm, TOPICS, Topic } from '../bookings/booking-options';
import { DomainError } from '../common/domain-error';
import { UpdateOrganisationDto } from './dto/organisation.dto';
import { OrganisationRow, OrganisationsRepository } from './organisations.repository';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsRepository,
  ) {}

  async list(search?: string, limit = 50, offset = 0) {
    return (await this.organisations.list(search || null, limit, offset)).map(present);
  }

  /** The entry with its contact people and every booking and registration, topics and attendance included. */
  async get(id: string) {
    const organisation = await this.find(id);
    const [contacts, history] = [await this.organisations.contacts(id), await this.organisations.history(id)];
    return {
      ...present(organisation),
      contacts,
      bookings: history.map((row) => ({ ...row, topics: (row.topics as string[]).map((topic) => ({ code: topic, label: TOPICS[topic as Topic] ?? topic })) })),
    };
  }

  async update(id: string, dto: UpdateOrganisationDto) {
    const organisation = await this.find(id);
    if (organisation.mergedInto) throw new DomainError('organisation_merged', 'Cette fiche a été fusionnée dans une autre : corrigez celle-ci.');
    await this.organisations.update(id, { ...dto });
    return this.get(id);
  }

  /**
   * Merges `id` into `into`: its bookings move over, and bookings that would have found `id` (same
   * SIRET, or same name and postcode) now find `into`.
   */
  async merge(id: string, into: string) {
    if (id === into) throw new DomainError('validation_failed', 'Une fiche ne se fusionne pas avec elle-même.', [{ field: 'into', message: 'Choisissez une autre fiche.' }]);
    await this.dataSource.transaction(async (manager) => {
      // Both rows locked in id order, so two merges cannot cross.
      const [first, second] = [id, into].sort();
      const locked = [...(await this.organisations.lock(first, manager)), ...(await this.organisations.lock(second, manager))];
      const source = locked.find((row) => row.id === id);
      const target = locked.find((row) => row.id === into);
      if (!source || !target) throw new DomainError('organisation_not_found', 'Fiche de structure introuvable.');
      if (source.mergedInto || target.mergedInto) throw new DomainError('organisation_merged', 'L’une des deux fiches a déjà été fusionnée.');
      await this.organisations.merge(id, into, manager);
    });
    return this.get(into);
  }

  private async find(id: string): Promise<OrganisationRow> {
    const organisation = await this.organisations.byId(id);
    if (!organisation) throw new DomainError('organisation_not_found', 'Fiche de structure introuvable.');
    return organisation;
  }
}

function present(row: OrganisationRow) {
  return {
    id: row.id,
    name: row.name,
    siret: row.siret,
    legalForm: row.legalForm,
    legalFormLabel: row.legalForm ? (LEGAL_FORMS[row.legalForm as LegalForm] ?? null) : null,
    esusApproved: row.esusApproved,
    sector: row.sector,
    postcode: row.postcode,
    commune: row.commune,
    mergedInto: row.mergedInto,
    permanenceBookings: row.bookings,
    workshopRegistrations: row.workshops,
    lastBookingAt: row.lastBookingAt ? new Date(row.lastBookingAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
