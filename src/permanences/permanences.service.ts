import { Injectable } from '@nestjs/common';
import { addDays, addMonths, PROGRAMME_TIME_ZONE, todayIn } from '../calendar';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { checkPeriod } from '../common/period';
import { PermanenceSession } from './permanence-session.entity';
import { ListedSlot, PermanencesRepository } from './permanences.repository';

const MAX_RANGE_MONTHS = 24;
/** How far after a taken slot's day the next session with a free time is looked for. */
const NEXT_SESSION_MONTHS = 3;

export type ListedSession = Awaited<ReturnType<PermanencesService['get']>>;

@Injectable()
export class PermanencesService {
  constructor(
    private readonly permanences: PermanencesRepository,
    private readonly clock: Clock,
  ) {}

  /** Sessions whose local date is in [from, to], with their slots and seats left. */
  async list(from?: string, to?: string) {
    const start = from ?? todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const end = to ?? addMonths(start, 3);
    checkPeriod(start, end, addMonths(start, MAX_RANGE_MONTHS), `${MAX_RANGE_MONTHS} mois`);
    const sessions = await this.permanences.sessionsBetween(start, end);
    const slots = await this.permanences.slotsOfSessions(sessions.map((session) => session.id));
    return sessions.map((session) =>
      this.present(
        session,
        slots.filter((slot) => slot.sessionId === session.id),
      ),
    );
  }

  async get(id: string) {
    const session = await this.permanences.session(id);
    if (!session) throw new DomainError('session_not_found', 'Cette permanence n’existe pas.');
    return this.present(session, await this.permanences.slotsOfSessions([id]));
  }

  /** The session a slot belongs to, as listed (whatever its date, unlike the default listing). */
  async ofSlot(slotId: string) {
    const sessionId = await this.permanences.sessionIdOfSlot(slotId);
    if (!sessionId) throw new DomainError('slot_not_found', 'Ce créneau n’existe pas ou n’est plus proposé. Choisissez-en un autre sur la page d’accueil.');
    return this.get(sessionId);
  }

  /**
   * Where to go when `slotId` can no longer be booked (taken while someone filled its form, begun,
   * or its session cancelled): the other free slots of its day, and those of the next session that
   * has any. Free is what `available` says; sessions without a free slot are left out.
   */
  async freeAround(slotId: string) {
    const { date } = await this.ofSlot(slotId);
    const [sameDay, later] = await Promise.all([this.list(date, date), this.list(addDays(date, 1), addMonths(date, NEXT_SESSION_MONTHS))]);
    const free = (session: ListedSession) => ({ ...session, slots: session.slots.filter((slot) => slot.available > 0 && slot.id !== slotId) });
    return {
      sameDay: sameDay.map(free).filter((session) => session.slots.length > 0),
      nextSession: later.map(free).find((session) => session.slots.length > 0) ?? null,
    };
  }

  /**
   * Where a booking on `slotId` can be moved: the free slots of the scheduled sessions listed by
   * default, other than its own. BookingsService.reschedule checks the chosen one again, locked.
   */
  async movableTo(slotId: string) {
    return (await this.list())
      .filter((session) => session.status === 'scheduled')
      .flatMap((session) => session.slots.filter((slot) => slot.available > 0 && slot.id !== slotId).map((slot) => ({ ...slot, timeZone: session.timeZone })));
  }

  private present(session: PermanenceSession, slots: ListedSlot[]) {
    const now = this.clock.now().getTime();
    const open = session.status === 'scheduled';
    return {
      id: session.id,
      date: session.date,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      timeZone: session.timeZone,
      location: session.location,
      status: session.status,
      ...(session.statusReason ? { statusReason: session.statusReason } : {}),
      ...(session.originalDate ? { originalDate: session.originalDate } : {}),
      slots: slots.map((slot) => ({
        id: slot.id,
        startsAt: slot.startsAt.toISOString(),
        endsAt: slot.endsAt.toISOString(),
        capacity: slot.capacity,
        // Seats a person can still take: none on a cancelled session or once the slot has begun.
        available: open && slot.startsAt.getTime() > now ? slot.capacity - slot.booked : 0,
        ...(slot.advisorId ? { advisor: { id: slot.advisorId, name: slot.advisorName } } : {}),
      })),
    };
  }
}
