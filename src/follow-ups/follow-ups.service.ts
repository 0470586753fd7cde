import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { StaffUser } from '../auth/staff-user';
import { UsersRepository } from '../auth/users.repository';
import { instantToLocal, todayIn } from '../calendar';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { Clock } from '../common/clock';
import { DomainError, FieldError } from '../common/domain-error';
import { JournalService } from '../journal/journal.service';
import { ListLabels, ListsService } from '../settings/lists.service';
import { FollowUpDto } from './dto/follow-up.dto';
import { FollowUpBooking, FollowUpRow, FollowUpsRepository, FollowUpValues } from './follow-ups.repository';

/**
 * What an advisor records after an attended permanence appointment: a staff-only note, the
 * orientations given (codes of the admin-edited `orientations` list) and an optional follow-up to do
 * on a date, on an advisor's agenda (agenda/agenda.repository.ts reads it for the day).
 *
 * Who: admins, and the advisor of the booking's desk, write it; the advisor the follow-up to do is
 * for also reads it and marks it done. The viewer never reads it (only the orientations, as figures,
 * through organisations/). The note is personal data: the journal never copies it, erasure and the
 * retention job clear it (personal-data/personal-data.repository.ts:anonymise).
 */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly followUps: FollowUpsRepository,
    private readonly users: UsersRepository,
    private readonly lists: ListsService,
    private readonly journal: JournalService,
    private readonly clock: Clock,
  ) {}

  /** The orientations offered for a new follow-up, in the list's order. */
  async offeredOrientations(): Promise<Array<{ code: string; label: string }>> {
    return (await this.lists.all('orientations')).filter((entry) => !entry.archived).map(({ code, label }) => ({ code, label }));
  }

  async get(bookingId: string, staff: StaffUser) {
    const booking = await this.followUps.booking(bookingId);
    if (!booking) throw new DomainError('booking_not_found', 'Réservation introuvable.');
    const row = await this.followUps.find(bookingId);
    if (!this.mayRead(staff, booking, row)) throw new DomainError('forbidden', 'Ce rendez-vous est à un autre bureau que le vôtre.');
    if (!row) throw new DomainError('follow_up_not_found', 'Aucun suivi n’est encore noté pour ce rendez-vous.');
    return present(row, await this.lists.labels());
  }

  /**
   * The booking and its follow-up (or null) for the follow-up page: refused as `save` would refuse
   * it (not found, another desk, not an attended permanence appointment).
   */
  async forEditing(bookingId: string, staff: StaffUser) {
    const booking = await this.followUps.booking(bookingId);
    if (!booking) throw new DomainError('booking_not_found', 'Réservation introuvable.');
    checkWritable(staff, booking);
    const row = await this.followUps.find(bookingId);
    return { booking, followUp: row ? present(row, await this.lists.labels()) : null };
  }

  /**
   * Records or replaces the follow-up (PUT): the booking row is locked first, so concurrent writers
   * take turns and each one's journal entry says what it changed; the rules are checked under the lock.
   */
  async save(bookingId: string, staff: StaffUser, dto: FollowUpDto) {
    const now = this.clock.now();
    const today = todayIn(PROGRAMME_TIME_ZONE, now);
    const offered = await this.offeredOrientations();
    await this.dataSource.transaction(async (manager) => {
      const booking = await this.followUps.lockBooking(bookingId, manager);
      if (!booking) throw new DomainError('booking_not_found', 'Réservation introuvable.');
      checkWritable(staff, booking);
      const previous = await this.followUps.find(bookingId, manager);
      const values = await this.values(dto, staff, previous, booking, offered, today, manager);
      if (previous) await this.followUps.update(bookingId, values, staff.id, now, manager);
      else await this.followUps.insert(bookingId, values, staff.id, now, manager);
      await this.journal.record(manager, {
        actor: staff,
        action: previous ? 'follow_up.updated' : 'follow_up.recorded',
        subject: { type: 'booking', id: bookingId },
        summary: summary(booking, values, previous),
        // What changed, never the note's text (personal data) nor the attendee.
        details: {
          orientations: values.orientations,
          followUpOn: values.followUpOn,
          followUpAdvisorId: values.followUpAdvisorId,
          hasNote: values.note !== null,
          noteChanged: (previous?.note ?? null) !== values.note,
        },
      });
    });
    return present((await this.followUps.find(bookingId))!, await this.lists.labels());
  }

  /** Marks the follow-up to do done, or to do again: admins, the advisor of the desk and the advisor it is for. */
  async setDone(bookingId: string, staff: StaffUser, done: boolean) {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const booking = await this.followUps.lockBooking(bookingId, manager);
      if (!booking) throw new DomainError('booking_not_found', 'Réservation introuvable.');
      const row = await this.followUps.find(bookingId, manager);
      if (!this.mayRead(staff, booking, row)) throw new DomainError('forbidden', 'Ce rendez-vous est à un autre bureau que le vôtre.');
      if (!row) throw new DomainError('follow_up_not_found', 'Aucun suivi n’est encore noté pour ce rendez-vous.');
      if (row.followUpOn === null) throw new DomainError('follow_up_not_applicable', 'Ce suivi n’a pas de relance à faire.');
      // Idempotent: a second « fait » keeps the first time.
      if ((row.followUpDoneAt !== null) === done) return;
      await this.followUps.setDone(bookingId, done ? now : null, manager);
      await this.journal.record(manager, {
        actor: staff,
        action: done ? 'follow_up.done' : 'follow_up.reopened',
        subject: { type: 'booking', id: bookingId },
        summary: `${done ? 'Relance faite' : 'Relance à faire de nouveau'} : ${about(booking)}, relance du ${frenchDate(row.followUpOn)}`,
        details: { followUpOn: row.followUpOn },
      });
    });
    return present((await this.followUps.find(bookingId))!, await this.lists.labels());
  }

  /** Admins; the advisor of the booking's desk; the advisor the follow-up to do is for. */
  private mayRead(staff: StaffUser, booking: FollowUpBooking, row: FollowUpRow | null): boolean {
    if (staff.role === 'admin') return true;
    if (staff.role !== 'advisor') return false;
    return booking.deskAdvisorId === staff.id || (row !== null && row.followUpAdvisorId === staff.id);
  }

  /** The row as it will be, or the field errors of the request (all of them at once). */
  private async values(
    dto: FollowUpDto,
    staff: StaffUser,
    previous: FollowUpRow | null,
    booking: FollowUpBooking,
    offered: Array<{ code: string; label: string }>,
    today: string,
    manager: EntityManager,
  ): Promise<FollowUpValues> {
    const errors: FieldError[] = [];
    const note = dto.note ?? null;
    const orientations = dto.orientations ?? [];
    const followUpOn = dto.followUpOn ?? null;
    // An archived orientation stays where it already is; a new one must be offered.
    const unknown = orientations.filter((code) => !offered.some((entry) => entry.code === code) && !previous?.orientations.includes(code));
    if (unknown.length > 0)
      errors.push({
        field: 'orientations',
        message: `Orientation non proposée (ou plus proposée) : ${unknown.join(', ')} ; choisissez parmi : ${offered.map((entry) => entry.label).join(', ')}.`,
      });
    if (note !== null && booking.anonymised)
      errors.push({ field: 'note', message: 'Les données personnelles de ce rendez-vous ont été effacées : aucune note ne peut plus y être écrite.' });
    // A date kept as it was may have passed; a new one is today or later.
    if (followUpOn !== null && followUpOn !== previous?.followUpOn && followUpOn < today)
      errors.push({ field: 'followUpOn', message: 'La date de relance doit être aujourd’hui ou plus tard.' });
    let followUpAdvisorId: string | null = null;
    if (followUpOn === null) {
      if (dto.followUpAdvisorId) errors.push({ field: 'followUpAdvisorId', message: 'Indiquez la date de la relance, ou ne choisissez personne.' });
    } else {
      // Unsaid, the follow-up to do stays with whom it was for (an admin correcting a note does not take it over).
      followUpAdvisorId = dto.followUpAdvisorId ?? previous?.followUpAdvisorId ?? staff.id;
      if (followUpAdvisorId !== staff.id && followUpAdvisorId !== previous?.followUpAdvisorId) {
        const user = await this.users.byId(followUpAdvisorId, manager);
        if (!user || !user.active || user.role === 'viewer')
          errors.push({ field: 'followUpAdvisorId', message: 'Choisissez un membre actif de l’équipe (conseiller·ère ou administrateur·rice).' });
      }
    }
    if (errors.length === 0 && note === null && orientations.length === 0 && followUpOn === null)
      errors.push({ field: 'note', message: 'Le suivi est vide : écrivez une note, choisissez une orientation ou prévoyez une relance.' });
    if (errors.length > 0) throw new DomainError('validation_failed', 'Certains champs sont invalides.', errors);
    // The same follow-up to do (date and person) keeps its « fait »; a new one is to do.
    const same = previous !== null && previous.followUpOn === followUpOn && previous.followUpAdvisorId === followUpAdvisorId;
    return { note, orientations, followUpOn, followUpAdvisorId, followUpDoneAt: same ? previous.followUpDoneAt : null };
  }
}

/** Admins, or the advisor of the booking's desk, for an attended permanence appointment. */
function checkWritable(staff: StaffUser, booking: FollowUpBooking): void {
  if (staff.role !== 'admin' && !(staff.role === 'advisor' && booking.deskAdvisorId === staff.id))
    throw new DomainError('forbidden', 'Ce rendez-vous est à un autre bureau que le vôtre.');
  if (!booking.isPermanence) throw new DomainError('follow_up_not_applicable', 'Le suivi se note pour un rendez-vous de permanence, pas pour un atelier.');
  if (booking.status !== 'confirmed' || booking.attendance !== 'present')
    throw new DomainError(
      'follow_up_not_applicable',
      'Le suivi se note pour un rendez-vous où la personne est venue : notez d’abord sa présence (« Présent »).',
    );
}

export type FollowUp = ReturnType<typeof present>;

function present(row: FollowUpRow, labels: ListLabels) {
  return { bookingId: row.bookingId, ...presentFollowUp(row, labels) };
}

/** A follow-up's fields as every answer gives them (here and on the organisation's history). */
export function presentFollowUp(row: Omit<FollowUpRow, 'bookingId' | 'followUpDoneAt' | 'createdAt' | 'updatedAt'> & Stamps, labels: ListLabels) {
  const person = (id: string | null, name: string | null) => (id ? { id, name } : null);
  return {
    note: row.note,
    orientations: row.orientations.map((code) => ({ code, label: labels.orientation(code) })),
    followUpOn: row.followUpOn,
    followUpAdvisor: person(row.followUpAdvisorId, row.followUpAdvisorName),
    followUpDoneAt: row.followUpDoneAt ? new Date(row.followUpDoneAt).toISOString() : null,
    createdBy: person(row.createdById, row.createdByName),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedBy: person(row.updatedById, row.updatedByName),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Instants as a query gives them: a Date from a column, an ISO string from JSON built in SQL. */
interface Stamps {
  followUpDoneAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** The journal's words for the appointment: its date and the organisation (never the attendee, who may be erased). */
function about(booking: FollowUpBooking): string {
  return `rendez-vous du ${frenchDate(instantToLocal(new Date(booking.startsAt), PROGRAMME_TIME_ZONE).date)} (« ${booking.organisationName} »)`;
}

function summary(booking: FollowUpBooking, values: FollowUpValues, previous: FollowUpRow | null): string {
  const parts = [
    `${values.orientations.length} orientation${values.orientations.length > 1 ? 's' : ''}`,
    noteChange(previous?.note ?? null, values.note, previous !== null),
    values.followUpOn ? `relance le ${frenchDate(values.followUpOn)}` : 'sans relance',
  ];
  return `${previous ? 'Suivi modifié' : 'Suivi noté'} : ${about(booking)} — ${parts.join(', ')}`;
}

function noteChange(before: string | null, after: string | null, existed: boolean): string {
  if (after === null) return before === null ? 'sans note' : 'note retirée';
  if (!existed) return 'avec note';
  if (before === null) return 'note ajoutée';
  return before === after ? 'note inchangée' : 'note modifiée';
}

function frenchDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}
