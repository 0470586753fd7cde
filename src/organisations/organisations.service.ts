import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { seesAttendees, StaffUser } from '../auth/staff-user';
import { legalFormLabel, topicLabel } from '../bookings/booking-options';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { UpdateOrganisationDto } from './dto/organisation.dto';
import { OrganisationRow, OrganisationsRepository } from './organisations.repository';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async list(search?: string, limit = 50, offset = 0) {
    return (await this.organisations.list(search || null, limit, offset)).map(present);
  }

  /**
   * The entry with every booking and registration, topics and attendance included; for whoever sees
   * attendees, also its contact people and who came each time.
   */
  async get(id: string, staff: StaffUser) {
    return this.detail(id, seesAttendees(staff));
  }

  private async detail(id: string, withAttendees: boolean) {
    const organisation = await this.find(id);
    const history = await this.organisations.history(id, `Permanence de la ${this.config.identity.name}`);
    const bookings = history.map(({ attendeeName, ...row }) => ({
      ...row,
      ...(withAttendees ? { attendeeName } : {}),
      topics: (row.topics as string[]).map((topic) => ({ code: topic, label: topicLabel(topic) })),
    }));
    if (!withAttendees) return { ...present(organisation), bookings };
    return { ...present(organisation), contacts: await this.organisations.contacts(id), bookings };
  }

  /** An admin's correction; the answer is the entry in full. */
  async update(id: string, dto: UpdateOrganisationDto) {
    const organisation = await this.find(id);
    if (organisation.mergedInto) throw new DomainError('organisation_merged', 'Cette fiche a été fusionnée dans une autre : corrigez celle-ci.');
    await this.organisations.update(id, { ...dto }, this.clock.now());
    return this.detail(id, true);
  }

  /**
   * Merges `id` into `into`: its bookings move over, and bookings that would have found `id` (same
   * SIRET, or same name and postcode) now find `into`.
   */
  async merge(id: string, into: string) {
    if (id === into)
      throw new DomainError('validation_failed', 'Une fiche ne se fusionne pas avec elle-même.', [{ field: 'into', message: 'Choisissez une autre fiche.' }]);
    await this.dataSource.transaction(async (manager) => {
      // Both rows locked in id order, so two merges cannot cross.
      const [first, second] = [id, into].sort();
      const locked = [...(await this.organisations.lock(first, manager)), ...(await this.organisations.lock(second, manager))];
      const source = locked.find((row) => row.id === id);
      const target = locked.find((row) => row.id === into);
      if (!source || !target) throw new DomainError('organisation_not_found', 'Fiche de structure introuvable.');
      if (source.mergedInto || target.mergedInto) throw new DomainError('organisation_merged', 'L’une des deux fiches a déjà été fusionnée.');
      await this.organisations.merge(id, into, this.clock.now(), manager);
    });
    return this.detail(into, true);
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
    legalFormLabel: legalFormLabel(row.legalForm),
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
