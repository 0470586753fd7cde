import { Injectable } from '@nestjs/common';
import { addMonths, todayIn, wallTimeToInstant } from '../calendar';
import { Clock } from '../common/clock';
import { FreshQuery } from '../common/fresh-query';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { CalendarFile, calendarFile } from '../ical/calendar-response';
import { buildFeed, FeedEvent } from '../ical/ical-files';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { FeedTokens, hashFeedToken } from './feed-tokens';
import { FeedsRepository, FeedSession, FeedSlot, FeedWorkshop } from './feeds.repository';
import { PublicFeedChanges } from './public-feed-changes';
import { ListLabels, ListsService } from '../settings/lists.service';

/** Feeds reach back this far, so a subscribed calendar keeps the recent past. */
const MONTHS_BACK = 3;

interface FeedWindow {
  key: string;
  from: Date;
  to: Date;
}
const REFRESH_MINUTES = 60;

@Injectable()
export class FeedsService {
  /**
   * The public feed as last built (or being built: the polls that find the same rows wait for that
   * one build), and the version of the rows it is built from.
   */
  private cached: { key: string; file: Promise<CalendarFile> } | null = null;
  /** The window, worked out once a minute, and the fingerprint query shared by concurrent requests. */
  private current: { minute: number; window: FeedWindow; fingerprint: FreshQuery<string> } | null = null;

  constructor(
    private readonly feeds: FeedsRepository,
    private readonly tokens: FeedTokens,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly changes: PublicFeedChanges,
    private readonly lists: ListsService,
  ) {}

  /**
   * Every session (one event, cancelled ones as STATUS:CANCELLED) and workshop from three months back
   * to the booking horizon; no personal data. Rebuilt only when its rows changed: known from
   * PostgreSQL's notifications when listening, else from a fingerprint of the rows.
   */
  async publicFeed(): Promise<CalendarFile> {
    const minute = Math.floor(this.clock.now().getTime() / 60_000);
    if (this.current?.minute !== minute) {
      const window = this.window();
      const fingerprint =
        this.current?.window.key === window.key ? this.current.fingerprint : new FreshQuery(() => this.feeds.publicVersion(window.from, window.to));
      this.current = { minute, window, fingerprint };
    }
    const { window, fingerprint } = this.current;
    const key = `${window.key}|${(await this.changes.version()) ?? (await fingerprint.get())}`;
    if (this.cached?.key !== key) {
      const entry = { key, file: this.buildPublicFeed(window) };
      this.cached = entry;
      // A build that failed is not kept: the next poll tries again.
      entry.file.catch(() => {
        if (this.cached === entry) this.cached = null;
      });
    }
    return this.cached.file;
  }

  private async buildPublicFeed(window: FeedWindow): Promise<CalendarFile> {
    const [sessions, workshops] = [await this.feeds.sessions(window.from, window.to), await this.feeds.workshops(window.from, window.to)];
    const events = [...sessions.map((session) => this.sessionEvent(session)), ...workshops.map((workshop) => this.workshopEvent(workshop))];
    return calendarFile(
      buildFeed(
        {
          name: `${this.config.identity.name} — permanences et ateliers ESS`,
          description: `Les permanences de la ${this.config.identity.name} et ses ateliers sur les statuts de l’ESS.`,
          timeZone: PROGRAMME_TIME_ZONE,
          refreshMinutes: REFRESH_MINUTES,
        },
        events,
      ),
      events,
      'public',
      'cress-rendez-vous-ess.ics',
    );
  }

  /** One advisor's desk slots, with who booked them and why (no phone number), and the workshops. */
  async advisorFeed(token: string): Promise<CalendarFile> {
    const owner = await this.feeds.feedOwner(hashFeedToken(token));
    if (!owner) throw new DomainError('not_found', 'Ce calendrier n’existe pas ou son lien a été renouvelé.');
    const window = this.window();
    const slots = await this.feeds.advisorSlots(owner.id, window.from, window.to);
    const workshops = await this.feeds.workshops(window.from, window.to);
    // The topics as the lists name them now (renamed, added or archived by an admin).
    const labels = await this.lists.labels();
    const events = [...slots.map((slot) => this.slotEvent(slot, labels)), ...workshops.map((workshop) => this.workshopEvent(workshop))];
    const name = `${this.config.identity.name} — agenda de ${owner.name}`;
    return calendarFile(
      buildFeed(
        { name, description: 'Vos créneaux de permanence, leurs rendez-vous, et les ateliers.', timeZone: PROGRAMME_TIME_ZONE, refreshMinutes: 15 },
        events,
      ),
      events,
      'private',
      'agenda-cress.ics',
    );
  }

  /** The signed-in advisor's feed address; the same until rotated. */
  async feedLink(userId: string, rotate: boolean) {
    const current = (await this.feeds.feedVersion(userId))!;
    const version = rotate ? current.version + 1 : current.version;
    const { token, hash } = this.tokens.issue(userId, version);
    if (rotate || !current.hash || !current.hash.equals(hash)) await this.feeds.setFeedToken(userId, version, hash);
    const url = `${this.config.publicUrl}/calendar/advisors/${token}.ics`;
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
  }

  private window(): FeedWindow {
    const today = todayIn(PROGRAMME_TIME_ZONE, this.clock.now());
    const first = addMonths(today, -MONTHS_BACK);
    const last = addMonths(today, this.config.bookingHorizonMonths + 1);
    return {
      key: `${first}..${last}`,
      from: wallTimeToInstant(first, '00:00', PROGRAMME_TIME_ZONE),
      to: wallTimeToInstant(last, '00:00', PROGRAMME_TIME_ZONE),
    };
  }

  private sessionEvent(session: FeedSession): FeedEvent {
    const cancelled = session.status === 'cancelled';
    const cress = this.config.identity.name;
    return {
      uid: `permanence-${session.id}@rendez-vous-ess`,
      sequence: 0,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      timeZone: session.timeZone,
      summary: cancelled ? `Permanence de la ${cress} (annulée)` : `Permanence de la ${cress}`,
      description: cancelled
        ? `Permanence annulée${session.statusReason ? ` : ${session.statusReason}` : ''}.`
        : `Rendez-vous avec une conseillère ou un conseiller de la ${cress} pour les structures de l’ESS. Réservation : ${this.config.publicUrl}`,
      location: session.location,
      cancelled,
      stamp: session.updatedAt,
      url: this.config.publicUrl,
    };
  }

  private workshopEvent(workshop: FeedWorkshop): FeedEvent {
    const cancelled = workshop.status === 'cancelled';
    const registration = `${this.config.publicUrl}/reserver/atelier/${workshop.id}`;
    const left = workshop.capacity - workshop.confirmed;
    const seats = cancelled
      ? 'Atelier annulé.'
      : left > 0
        ? `Places restantes : ${left} sur ${workshop.capacity}.`
        : `Complet${workshop.waitlisted > 0 ? ` — liste d’attente : ${workshop.waitlisted} personne${workshop.waitlisted > 1 ? 's' : ''}` : ''}.`;
    return {
      uid: `workshop-${workshop.id}@rendez-vous-ess`,
      sequence: 0,
      startsAt: workshop.startsAt,
      endsAt: workshop.endsAt,
      timeZone: workshop.timeZone,
      summary: workshop.title,
      description: [workshop.description, seats, cancelled ? null : `Inscription : ${registration}`].filter(Boolean).join('\n\n'),
      location: workshop.location,
      cancelled,
      stamp: workshop.updatedAt,
      url: registration,
    };
  }

  private slotEvent(slot: FeedSlot, labels: ListLabels): FeedEvent {
    const cancelled = slot.sessionStatus === 'cancelled';
    const booked = slot.bookingId !== null;
    const stamp = slot.bookingUpdatedAt && slot.bookingUpdatedAt > slot.sessionUpdatedAt ? slot.bookingUpdatedAt : slot.sessionUpdatedAt;
    return {
      uid: `slot-${slot.id}@rendez-vous-ess`,
      sequence: slot.bookingSequence ?? 0,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      timeZone: slot.timeZone,
      summary: booked ? `Rendez-vous : ${slot.organisationName} (${slot.attendeeName})` : 'Créneau libre',
      description: booked && slot.topics?.length ? `Sujets : ${slot.topics.map(labels.topic).join(', ')}` : '',
      location: slot.location,
      cancelled,
      stamp,
    };
  }
}
