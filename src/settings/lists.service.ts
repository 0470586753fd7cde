import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { Clock } from '../common/clock';
import { DomainError, FieldError } from '../common/domain-error';
import { JournalService } from '../journal/journal.service';
import { CreateListEntryDto, LIST_CODE, UpdateListEntryDto } from './dto/list-entry.dto';
import { LIST_KINDS, ListEntry, ListKind, ListsRepository } from './lists.repository';

/** Labels by code, archived entries included; an unknown code reads as itself. */
export interface ListLabels {
  topic: (code: string) => string;
  legalForm: (code: string | null) => string | null;
  orientation: (code: string) => string;
}

const NOUNS: Record<ListKind, string> = { topics: 'Ce sujet', 'legal-forms': 'Cette forme juridique', orientations: 'Cette orientation' };

/**
 * The topics and legal forms an admin edits. Bookings store the code; a code never changes, so
 * renaming an entry renames it everywhere, and archiving one only stops offering it. Read without a
 * cache: two small indexed tables, and another instance's change shows up at once.
 */
@Injectable()
export class ListsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lists: ListsRepository,
    private readonly clock: Clock,
    private readonly journal: JournalService,
  ) {}

  async all(kind: string) {
    return (await this.lists.all(listKind(kind))).map(view);
  }

  /** What the booking form and GET /api/booking-options offer. */
  async offered() {
    const [topics, legalForms] = await Promise.all([this.lists.offered('topics'), this.lists.offered('legal-forms')]);
    return { topics, legalForms };
  }

  /** Every code's label, archived entries included, for what bookings already hold. */
  async labels(): Promise<ListLabels> {
    const [topics, legalForms, orientations] = await Promise.all([this.lists.all('topics'), this.lists.all('legal-forms'), this.lists.all('orientations')]);
    const topicLabels = new Map(topics.map((entry) => [entry.code, entry.label]));
    const legalFormLabels = new Map(legalForms.map((entry) => [entry.code, entry.label]));
    const orientationLabels = new Map(orientations.map((entry) => [entry.code, entry.label]));
    return {
      topic: (code) => topicLabels.get(code) ?? code,
      legalForm: (code) => (code === null ? null : (legalFormLabels.get(code) ?? code)),
      orientation: (code) => orientationLabels.get(code) ?? code,
    };
  }

  /** A booking may only choose offered entries; an archived or unknown code is refused next to its field. */
  async checkOffered(
    choice: { legalForm?: string | null; topics?: string[] },
    fields = { legalForm: 'organisation.legalForm', topics: 'topics' },
  ): Promise<void> {
    const { topics, legalForms } = await this.offered();
    const errors: FieldError[] = [];
    if (choice.legalForm && !legalForms.some((entry) => entry.code === choice.legalForm)) {
      errors.push({
        field: fields.legalForm,
        message: `Cette forme juridique n’est pas (ou plus) proposée ; choisissez parmi : ${legalForms.map((entry) => entry.label).join(', ')}.`,
      });
    }
    const unknown = (choice.topics ?? []).filter((code) => !topics.some((entry) => entry.code === code));
    if (unknown.length > 0) {
      errors.push({
        field: fields.topics,
        message: `Sujet non proposé (ou plus proposé) : ${unknown.join(', ')} ; choisissez parmi : ${topics.map((entry) => entry.label).join(', ')}.`,
      });
    }
    if (errors.length > 0) throw new DomainError('validation_failed', 'Certains champs sont invalides.', errors);
  }

  async add(kind: string, dto: CreateListEntryDto, actor: StaffUser) {
    const list = listKind(kind);
    return this.dataSource.transaction(async (manager) => {
      const entries = await this.lists.lockAll(list, manager);
      const offered = entries.filter((entry) => entry.archivedAt === null);
      checkLabelFree(offered, dto.label, null);
      let code = dto.code;
      if (code !== undefined) {
        if (entries.some((entry) => entry.code === code)) {
          throw new DomainError('validation_failed', 'Certains champs sont invalides.', [
            { field: 'code', message: 'Ce code est déjà pris (peut-être par une entrée archivée).' },
          ]);
        }
      } else {
        code = freeCode(codeOf(dto.label), entries);
      }
      await this.lists.insert(list, { code, label: dto.label, position: offered.length + 1 }, manager);
      await this.journal.record(manager, {
        actor,
        action: 'list.added',
        subject: { type: list, id: null },
        summary: `${LIST_TITLES[list]} : « ${dto.label} » ajouté`,
        details: { list, code },
      });
      return view({ code, label: dto.label, position: offered.length + 1, archivedAt: null });
    });
  }

  /** Rename, move (a place among the offered entries), archive or offer again. */
  async update(kind: string, code: string, dto: UpdateListEntryDto, actor: StaffUser) {
    const list = listKind(kind);
    return this.dataSource.transaction(async (manager) => {
      const entries = await this.lists.lockAll(list, manager);
      const entry = entries.find((candidate) => candidate.code === code);
      if (!entry) throw new DomainError('not_found', `${NOUNS[list]} n’existe pas.`);
      const archivedAt = dto.archived === undefined ? entry.archivedAt : dto.archived ? (entry.archivedAt ?? this.clock.now()) : null;
      const label = dto.label ?? entry.label;
      const others = entries.filter((candidate) => candidate.archivedAt === null && candidate.code !== code);
      if (archivedAt === null) checkLabelFree(others, label, code);
      if (dto.position !== undefined && archivedAt !== null) {
        throw new DomainError('validation_failed', 'Certains champs sont invalides.', [
          { field: 'position', message: 'Une entrée archivée n’a pas de place dans la liste : proposez-la de nouveau d’abord.' },
        ]);
      }
      await this.lists.update(list, code, { label, archivedAt }, manager);
      const order = others.map((candidate) => candidate.code);
      if (archivedAt === null) {
        const wasOffered = entry.archivedAt === null;
        const place = dto.position ?? (wasOffered ? entries.filter((candidate) => candidate.archivedAt === null).indexOf(entry) + 1 : order.length + 1);
        order.splice(Math.min(place, order.length + 1) - 1, 0, code);
      }
      await this.lists.renumber(list, order, manager);
      await this.journal.record(manager, {
        actor,
        action: 'list.updated',
        subject: { type: list, id: null },
        summary: `${LIST_TITLES[list]} : « ${label} » ${describeChange(entry, label, archivedAt, dto)}`,
        details: { list, code, ...dto },
      });
      const updated = (await this.lists.all(list, manager)).find((candidate) => candidate.code === code)!;
      return view(updated);
    });
  }
}

const LIST_TITLES: Record<ListKind, string> = { topics: 'Sujets', 'legal-forms': 'Formes juridiques', orientations: 'Orientations' };

/** The journal's words for what an update did. */
function describeChange(entry: ListEntry, label: string, archivedAt: Date | null, dto: UpdateListEntryDto): string {
  if (entry.archivedAt === null && archivedAt !== null) return 'archivé';
  if (entry.archivedAt !== null && archivedAt === null) return 'proposé de nouveau';
  if (label !== entry.label) return `(anciennement « ${entry.label} ») renommé`;
  return dto.position !== undefined ? `déplacé en position ${dto.position}` : 'inchangé';
}

function listKind(kind: string): ListKind {
  if (!(LIST_KINDS as readonly string[]).includes(kind)) throw new DomainError('not_found', `Liste inconnue ; listes : ${LIST_KINDS.join(', ')}.`);
  return kind as ListKind;
}

function view(entry: ListEntry) {
  return {
    code: entry.code,
    label: entry.label,
    position: entry.position,
    archived: entry.archivedAt !== null,
    archivedAt: entry.archivedAt?.toISOString() ?? null,
  };
}

function checkLabelFree(offered: ListEntry[], label: string, code: string | null): void {
  const taken = offered.find((entry) => entry.code !== code && entry.label.toLocaleLowerCase('fr') === label.toLocaleLowerCase('fr'));
  if (taken) throw new DomainError('validation_failed', 'Certains champs sont invalides.', [{ field: 'label', message: 'Ce libellé est déjà dans la liste.' }]);
}

/** A code from a label: "Financement participatif" → financement_participatif. */
function codeOf(label: string): string {
  const code = label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 34)
    .replace(/_+$/, '');
  return LIST_CODE.test(code) ? code : 'entree';
}

function freeCode(base: string, entries: ListEntry[]): string {
  const taken = new Set(entries.map((entry) => entry.code));
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) if (!taken.has(`${base}_${suffix}`)) return `${base}_${suffix}`;
}
