import { Injectable } from '@nestjs/common';
import type { StaffUser } from '../auth/staff-user';
import { UsersRepository } from '../auth/users.repository';
import { addDays, todayIn, wallTimeToInstant } from '../calendar';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { keep } from '../common/keep';
import { PreparedBody, preparedBody } from '../common/prepared-body';
import { DatabaseSnapshot } from '../common/database-snapshot';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { AgendaBooking, AgendaDueFollowUp, AgendaFollowUp, AgendaRepository, AgendaSlotRow, AgendaWorkshopRow } from './agenda.repository';
import { ListLabels, ListsService } from '../settings/lists.service';
import { Territory } from '../territory/territory';

/** Answers kept (a busy day's is 10–80 KiB): every advisor's and the whole team's, for a few days. */
const MAX_KEPT_ANSWERS = 100;
/** Days whose rows are kept (each answer of a day is made from them). */
const MAX_KEPT_DAYS = 31;

/** Everything a day's agenda is made from: every desk's slots and the day's workshops. */
interface DayRows {
  slots: AgendaSlotRow[];
  workshops: AgendaWorkshopRow[];
  /** The legal forms' labels as the lists name them when the rows were read (their rows are in the fingerprint). */
  legalForm: ListLabels['legalForm'];
  /** Every advisor's follow-ups to do on the day (an advisor's answer keeps theirs). */
  due: AgendaDueFollowUp[];
  orientation: ListLabels['orientation'];
}

/** An advisor's day (their desks and every workshop), or for an admin anyone's day, or everybody's. */
@Injectable()
export class AgendaService {
  /** Each day's bounds as instants, worked out once: luxon's zone conversion was ~5 % of an agenda request. */
  private readonly bounds = new Map<string, { from: Date; to: Date }>();
  /** Recent days' rows with the fingerprint and the database snapshot they were read at, oldest first (see rowsOf). */
  private readonly days = new Map<string, { fingerprint: string; snapshot: string; rows: Promise<DayRows> }>();
  /** Recent answers by day and advisor, with the rows they were made from, oldest first (see dayBody). */
  private readonly answers = new Map<string, { rows: DayRows; body: PreparedBody }>();

  constructor(
    private readonly agenda: AgendaRepository,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
    private readonly snapshots: DatabaseSnapshot,
    private readonly lists: ListsService,
    private readonly territory: Territory,
  ) {}

  async day(staff: StaffUser, date?: string, advisorId?: string) {
    const day = date ?? todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const advisor = await this.whose(staff, advisorId);
    return assemble(day, advisor, await this.rowsOf(day));
  }

  /**
   * Where the agenda goes when today is empty: the next day with a booking the staff member's agenda
   * shows (from now on), and the next scheduled permanence (from today on).
   */
  async ahead(staff: StaffUser, advisorId?: string): Promise<{ nextBookedDate: string | null; nextPermanence: { id: string; date: string } | null }> {
    const advisor = await this.whose(staff, advisorId);
    const now = this.clock.now();
    const [nextBookedDate, nextPermanence] = await Promise.all([
      this.agenda.nextBookedDate(now, PROGRAMME_TIME_ZONE, advisor?.id ?? null),
      this.agenda.nextSession(todayIn(PROGRAMME_TIME_ZONE, now)),
    ]);
    return { nextBookedDate, nextPermanence };
  }

  /**
   * The day as the API's JSON body, kept with the rows it was made from and given again while they
   * are the day's current rows (see rowsOf): a request then costs no query of the day's (one
   * trivial statement, shared) instead of the day's queries and a serialisation (and its gzip
   * encoding is made once).
   */
  async dayBody(staff: StaffUser, date?: string, advisorId?: string): Promise<PreparedBody> {
    const day = date ?? todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const advisor = await this.whose(staff, advisorId);
    const rows = await this.rowsOf(day);
    const key = JSON.stringify([day, advisor]);
    const known = this.answers.get(key);
    if (known?.rows === rows) return known.body;
    const body = preparedBody(JSON.stringify(assemble(day, advisor, rows)));
    keep(this.answers, key, { rows, body }, MAX_KEPT_ANSWERS);
    return body;
  }

  /**
   * The day's rows, read once for every desk and shared by every answer of the day (an advisor's is
   * the part of their desks): after a change, the ten advisors' and the admin's answers are made
   * from one read. They are kept with the fingerprint of the rows (AgendaRepository.fingerprint) and
   * the database's snapshot (DatabaseSnapshot), both taken after the call was made: what it returns
   * never misses a change committed before the call, through this instance or any other. While the
   * snapshot stays the same (nothing was committed anywhere), nothing else is queried; when it moved,
   * the fingerprint is read again, and the rows only if it differs. Simultaneous calls after a change
   * share one read.
   */
  private async rowsOf(day: string): Promise<DayRows> {
    const { from, to } = this.dayBounds(day);
    // Taken before the fingerprint and the rows are read, so the rows are at least as new as it.
    const snapshot = await this.snapshots.current();
    const known = this.days.get(day);
    if (known?.snapshot === snapshot) return known.rows;
    const fingerprint = await this.agenda.fingerprint(day, from, to);
    // Read again after the wait: a simultaneous call may have started reading these very rows meanwhile.
    const latest = this.days.get(day);
    if (latest?.fingerprint === fingerprint) {
      latest.snapshot = snapshot;
      return latest.rows;
    }
    const entry = {
      fingerprint,
      snapshot,
      rows: Promise.all([this.agenda.slots(day), this.agenda.workshops(from, to), this.agenda.followUpsDue(day), this.lists.labels()]).then(
        ([slots, workshops, due, labels]) => {
          for (const row of [...slots.map((slot) => slot.booking), ...workshops.flatMap((workshop) => workshop.bookings)])
            if (row) row.organisationCommune = row.organisationCommuneCode ? this.territory.commune(row.organisationCommuneCode) : null;
          return { slots, workshops, legalForm: labels.legalForm, due, orientation: labels.orientation };
        },
      ),
    };
    keep(this.days, day, entry, MAX_KEPT_DAYS);
    // A read that failed is not kept: the next request reads again.
    entry.rows.catch(() => {
      if (this.days.get(day) === entry) this.days.delete(day);
    });
    return entry.rows;
  }

  private dayBounds(day: string): { from: Date; to: Date } {
    let bounds = this.bounds.get(day);
    if (!bounds) {
      if (this.bounds.size >= 400) this.bounds.clear();
      bounds = { from: wallTimeToInstant(day, '00:00', PROGRAMME_TIME_ZONE), to: wallTimeToInstant(addDays(day, 1), '00:00', PROGRAMME_TIME_ZONE) };
      this.bounds.set(day, bounds);
    }
    return bounds;
  }

  /** An advisor sees their own day; an admin names any advisor, or sees every desk. */
  private async whose(staff: StaffUser, advisorId?: string): Promise<{ id: string; name: string } | null> {
    if (staff.role !== 'admin') {
      if (advisorId && advisorId !== staff.id) throw new DomainError('forbidden', 'Vous ne voyez que votre propre agenda.');
      return { id: staff.id, name: staff.name };
    }
    if (!advisorId) return null;
    const user = await this.users.byId(advisorId);
    if (!user) throw new DomainError('user_not_found', 'Aucun compte ne porte cet identifiant.');
    return { id: user.id, name: user.name };
  }
}

/** The day's agenda for `advisor` (their desks and every workshop), or for everybody (null), from its rows. */
function assemble(day: string, advisor: { id: string; name: string } | null, rows: DayRows) {
  const slots = advisor ? rows.slots.filter((slot) => slot.advisorId === advisor.id) : rows.slots;
  const { workshops } = rows;
  const items = [...slots.map((slot) => slotItem(slot, rows)), ...workshops.map((workshop) => workshopItem(workshop, rows))].sort((a, b) =>
    a.startsAt.localeCompare(b.startsAt),
  );
  const due = advisor ? rows.due.filter((row) => row.followUp.followUpAdvisorId === advisor.id) : rows.due;
  const bookings = [
    ...slots.flatMap((slot) => (slot.booking ? [slot.booking] : [])),
    ...workshops.flatMap((workshop) => workshop.bookings.filter((booking) => booking.status === 'confirmed')),
  ];
  const open = slots.filter((slot) => slot.sessionStatus === 'scheduled');
  return {
    date: day,
    timeZone: PROGRAMME_TIME_ZONE,
    advisor,
    items,
    followUpsDue: due.map((row) => ({
      bookingId: row.bookingId,
      appointmentStartsAt: new Date(row.appointmentStartsAt).toISOString(),
      deskAdvisor: row.deskAdvisorId ? { id: row.deskAdvisorId, name: row.deskAdvisorName } : null,
      attendee: { name: row.attendeeName, email: row.attendeeEmail, phone: row.attendeePhone },
      organisation: { id: row.organisationId, name: row.organisationName },
      followUp: followUp(row.followUp, rows.orientation),
    })),
    counts: {
      slots: open.length,
      bookedSlots: open.filter((slot) => slot.booked > 0).length,
      freeSlots: open.filter((slot) => slot.booked < slot.capacity).length,
      workshops: workshops.length,
      registrations: workshops.reduce((sum, workshop) => sum + workshop.confirmed, 0),
      waitlisted: workshops.reduce((sum, workshop) => sum + workshop.waitlisted, 0),
      bookings: bookings.length,
      present: bookings.filter((booking) => booking.attendance === 'present').length,
      absent: bookings.filter((booking) => booking.attendance === 'absent').length,
      excused: bookings.filter((booking) => booking.attendance === 'excused').length,
      unrecorded: bookings.filter((booking) => booking.attendance === null).length,
      followUpsDue: due.length,
      followUpsDone: due.filter((row) => row.followUp.followUpDoneAt !== null).length,
    },
  };
}

function followUp(row: AgendaFollowUp, orientation: DayRows['orientation']) {
  return {
    note: row.note,
    orientations: row.orientations.map((code) => ({ code, label: orientation(code) })),
    followUpOn: row.followUpOn,
    followUpAdvisor: row.followUpAdvisorId ? { id: row.followUpAdvisorId, name: row.followUpAdvisorName } : null,
    followUpDoneAt: row.followUpDoneAt ? new Date(row.followUpDoneAt).toISOString() : null,
    updatedAt: new Date(row.updatedAt).toISOString(),
    updatedByName: row.updatedByName,
  };
}

function booking(row: AgendaBooking, { legalForm, orientation }: DayRows) {
  return {
    id: row.id,
    status: row.status,
    ...(row.status === 'waitlisted' ? { waitlistPosition: row.waitlistPosition } : {}),
    attendee: { name: row.attendeeName, email: row.attendeeEmail, phone: row.attendeePhone },
    organisation: {
      id: row.organisationId,
      name: row.organisationName,
      siret: row.organisationSiret,
      legalForm: row.organisationLegalForm,
      legalFormLabel: legalForm(row.organisationLegalForm),
      postcode: row.organisationPostcode,
      communeCode: row.organisationCommuneCode,
      commune: row.organisationCommune?.name ?? null,
      inMetropolis: row.organisationCommune?.inMetropolis ?? null,
    },
    topics: row.topics,
    message: row.message,
    attendance: row.attendance,
    attendanceNote: row.attendanceNote,
    /** Who recorded the attendance, and when (null before it is recorded; the account may be gone). */
    attendanceRecordedBy: row.attendanceRecordedById ? { id: row.attendanceRecordedById, name: row.attendanceRecordedByName } : null,
    attendanceRecordedAt: row.attendanceRecordedAt ? new Date(row.attendanceRecordedAt).toISOString() : null,
    /** The follow-up noted after the appointment (a permanence booking attended), or null. */
    followUp: row.followUp ? followUp(row.followUp, orientation) : null,
  };
}

function slotItem(slot: AgendaSlotRow, rows: DayRows) {
  return {
    type: 'slot' as const,
    id: slot.id,
    sessionId: slot.sessionId,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    location: slot.location,
    status: slot.sessionStatus,
    advisor: slot.advisorId ? { id: slot.advisorId, name: slot.advisorName } : null,
    capacity: slot.capacity,
    free: slot.sessionStatus === 'scheduled' ? slot.capacity - slot.booked : 0,
    bookings: slot.booking ? [booking(slot.booking, rows)] : [],
  };
}

function workshopItem(workshop: AgendaWorkshopRow, rows: DayRows) {
  return {
    type: 'workshop' as const,
    id: workshop.id,
    title: workshop.title,
    startsAt: new Date(workshop.startsAt).toISOString(),
    endsAt: new Date(workshop.endsAt).toISOString(),
    location: workshop.location,
    status: workshop.status,
    capacity: workshop.capacity,
    free: workshop.status === 'scheduled' ? workshop.capacity - workshop.confirmed : 0,
    waitlisted: workshop.waitlisted,
    bookings: workshop.bookings.map((row) => booking(row, rows)),
  };
}
