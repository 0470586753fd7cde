import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { instantToLocal, isWorkingDay, PROGRAMME_TIME_ZONE } from '../calendar';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { SatisfactionLinks } from './satisfaction-links';
import { SatisfactionRepository, SatisfactionState } from './satisfaction.repository';

/**
 * The question goes out on a working day (Monday to Friday, not a French public holiday), between
 * these hours of the programme's time zone, for events of an earlier day: the working day after the
 * event, from 09:00 (a Friday's event on the Monday, the eve of a holiday's the day after it).
 */
export const SEND_FROM = '09:00';
export const SEND_UNTIL = '19:00';
/**
 * Attendance recorded later than this after the event (or a service stopped that long) asks nothing:
 * a question a week late is rarely welcome, and answers could no longer be compared.
 */
export const LATE_DAYS = 7;
/** An answer can be given or changed until this many days after the event. */
export const ANSWER_DAYS = 30;
export const COMMENT_MAX = 2000;

const INVALID = 'Ce lien n’est pas valable : il a peut-être été mal recopié. Utilisez le lien de l’e-mail que vous avez reçu, tel quel.';
const USED =
  'Ce lien a déjà servi : votre réponse est bien enregistrée. Pour la modifier, utilisez le lien de la page qui a suivi votre réponse. Merci de votre participation !';

export interface SatisfactionView {
  bookingId: string;
  event: { type: 'permanence' | 'workshop'; title: string | null; startsAt: string; endsAt: string; timeZone: string; location: string };
  answer: { score: number; comment: string | null; answeredAt: string; updatedAt: string } | null;
  /** Until when the answer can be given or changed. */
  openUntil: string;
  /** The token for the next answer (each one works once). */
  token: string;
}

/** The satisfaction question after an attended event: when it goes out, and its answers through the e-mailed links. */
@Injectable()
export class SatisfactionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SatisfactionRepository,
    private readonly links: SatisfactionLinks,
    private readonly clock: Clock,
  ) {}

  /** Records the questions due now (none outside a working day's sending hours); how many. Safe to run anywhere, any time. */
  async queueDue(): Promise<number> {
    const now = this.clock.now();
    const local = instantToLocal(now, PROGRAMME_TIME_ZONE);
    if (!isWorkingDay(local.date) || local.time < SEND_FROM || local.time >= SEND_UNTIL) return 0;
    return this.repository.queueDue(now, local.date, PROGRAMME_TIME_ZONE, LATE_DAYS);
  }

  /** What an answer link shows; records nothing (mail scanners open links). */
  async view(id: string, token: string): Promise<SatisfactionView> {
    const state = await this.repository.state(id);
    const generation = this.check(state, id, token);
    return this.present(state!, generation);
  }

  /**
   * Records the answer (and the comment, when given: undefined keeps the one before, empty removes
   * it) and uses the link up; the answer comes back with the next link's token.
   */
  async answer(id: string, token: string, score: number, comment: string | null | undefined): Promise<SatisfactionView> {
    return this.dataSource.transaction(async (manager) => {
      const state = await this.repository.state(id, manager, true);
      const generation = this.check(state, id, token);
      if (!(await this.repository.consumeLink(manager, id, generation))) throw new DomainError('link_invalid', USED);
      const now = this.clock.now();
      const kept = comment === undefined || comment === null ? comment : comment.trim() || null;
      await this.repository.saveAnswer(manager, id, score, kept, now);
      const answered = (await this.repository.state(id, manager))!;
      return this.present(answered, generation + 1);
    });
  }

  /** What the opt-out link shows: whether the address already opted out. */
  async optOutView(id: string, token: string): Promise<{ bookingId: string; optedOutAt: string | null }> {
    const state = await this.repository.state(id);
    this.checkOptOut(state, id, token);
    return { bookingId: id, optedOutAt: state!.optedOutAt?.toISOString() ?? null };
  }

  /** No more satisfaction questions to the booking's address. Idempotent. */
  async optOut(id: string, token: string): Promise<{ bookingId: string; optedOutAt: string }> {
    return this.dataSource.transaction(async (manager) => {
      const state = await this.repository.state(id, manager, true);
      this.checkOptOut(state, id, token);
      const at = await this.repository.optOut(manager, id, this.clock.now());
      return { bookingId: id, optedOutAt: at.toISOString() };
    });
  }

  /**
   * The generation `token` is for, when it may answer now: a booking that was asked, still held
   * (not cancelled nor anonymised), the link the newest, within the answering period.
   */
  private check(state: SatisfactionState | null, id: string, token: string): number {
    if (!state || state.requestedAt === null || state.anonymised || state.status !== 'confirmed') throw new DomainError('link_invalid', INVALID);
    const generation = this.links.answerGeneration(id, token, state.generation);
    if (generation === null) throw new DomainError('link_invalid', INVALID);
    if (generation < state.generation) throw new DomainError('link_invalid', USED);
    if (this.clock.now().getTime() > this.openUntil(state).getTime()) {
      throw new DomainError(
        'satisfaction_closed',
        `Merci de votre intérêt : les réponses à ce questionnaire étaient ouvertes jusqu’au ${frenchDay(this.openUntil(state))}, elles sont désormais closes.`,
      );
    }
    return generation;
  }

  private checkOptOut(state: SatisfactionState | null, id: string, token: string): void {
    if (!state || state.anonymised || !this.links.optOutMatches(id, token)) throw new DomainError('link_invalid', INVALID);
  }

  private openUntil(state: SatisfactionState): Date {
    return new Date(new Date(state.endsAt).getTime() + ANSWER_DAYS * 86_400_000);
  }

  private present(state: SatisfactionState, generation: number): SatisfactionView {
    return {
      bookingId: state.id,
      event: {
        type: state.eventType,
        title: state.workshopTitle,
        startsAt: new Date(state.startsAt).toISOString(),
        endsAt: new Date(state.endsAt).toISOString(),
        timeZone: state.timeZone,
        location: state.location,
      },
      answer:
        state.score === null
          ? null
          : { score: state.score, comment: state.comment, answeredAt: state.answeredAt!.toISOString(), updatedAt: state.updatedAt!.toISOString() },
      openUntil: this.openUntil(state).toISOString(),
      token: this.links.answerToken(state.id, generation),
    };
  }
}

function frenchDay(instant: Date): string {
  const { date } = instantToLocal(instant, PROGRAMME_TIME_ZONE);
  const [year, month, day] = date.split('-').map(Number);
  const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
  return `${day === 1 ? '1er' : day} ${months[month - 1]} ${year}`;
}
