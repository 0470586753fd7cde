import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AccountMails, isAccountMail } from './account-mails';
import { attestationUrl, ManageTokens, manageUrl } from '../bookings/manage-token';
import { AppConfig, ProgrammeIdentity } from '../config/app-config';
import { buildInvite, InviteMethod } from '../ical/ical-files';
import { ListLabels, ListsService } from '../settings/lists.service';
import { MailContext, MailKind, renderMail } from './mail-templates';
import { OutgoingMail } from './mailer';
import { MessageDetail } from './outbox-delivery.repository';
import { SettingsService } from '../settings/settings.service';
import { PROGRAMME_TIME_ZONE } from '../calendar/time-zone';
import { SATISFACTION_SCORES, SatisfactionLinks } from '../satisfaction/satisfaction-links';
import { ANSWER_DAYS } from '../satisfaction/satisfaction.service';

/** Messages that put or update the event in the attendee's calendar. */
const REQUEST_KINDS = new Set<MailKind>([
  'booking_confirmed',
  'booking_rescheduled',
  'session_moved',
  'session_changed',
  'workshop_confirmed',
  'workshop_promoted',
  'workshop_changed',
]);
/** Messages that remove it — when there was one (a waitlisted person had none). */
const CANCEL_KINDS = new Set<MailKind>(['booking_cancelled', 'session_cancelled', 'workshop_cancelled']);

/** Turns an outbox message into the e-mail to send: French text from the templates, and the invite. */
@Injectable()
export class MailComposer {
  private readonly messageIdDomain: string;

  constructor(
    private readonly config: AppConfig,
    private readonly tokens: ManageTokens,
    private readonly accountMails: AccountMails,
    private readonly lists: ListsService,
    private readonly settings: SettingsService,
    private readonly satisfactionLinks: SatisfactionLinks,
  ) {
    this.messageIdDomain = new URL(config.publicUrl).hostname || 'rendez-vous-ess';
  }

  /** The labels are read at send time: a topic renamed meanwhile reads as now, an archived one keeps its label. */
  async compose(detail: MessageDetail): Promise<OutgoingMail> {
    if (isAccountMail(detail.kind)) return this.accountMails.compose(detail);
    const audience = detail.attendeeEmail && detail.recipient.toLowerCase() === detail.attendeeEmail.toLowerCase() ? 'attendee' : 'advisor';
    const kind = detail.kind;
    const method = audience === 'attendee' ? inviteMethod(kind, detail) : null;
    const context = this.context(detail, kind, audience, method !== null, await this.lists.labels(), await this.settings.identity());
    const rendered = renderMail(context);
    return {
      to: { name: context.recipientName, address: detail.recipient },
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      // Deterministic: a message sent again after a crash is the same message to every client.
      messageId: `<${detail.id}@${this.messageIdDomain}>`,
      invite: method ? { method, content: this.invite(detail, method, context) } : null,
    };
  }

  private context(
    detail: MessageDetail,
    kind: MailKind,
    audience: 'attendee' | 'advisor',
    hasInvite: boolean,
    labels: ListLabels,
    identity: ProgrammeIdentity,
  ): MailContext {
    const zone = detail.timeZone ?? PROGRAMME_TIME_ZONE;
    const when = (instant: Date | null, inZone = zone) => DateTime.fromJSDate(instant ?? new Date(0), { zone: inZone }).setLocale('fr');
    const payload = detail.payload ?? {};
    const nextZone = detail.nextTimeZone ?? zone;
    // An advisor's notice names the slot it was recorded for (bookings.service.ts:advisorNotice), which a reschedule has left.
    const startsAt = typeof payload.slotStartsAt === 'string' ? new Date(payload.slotStartsAt) : detail.startsAt;
    const endsAt = typeof payload.slotEndsAt === 'string' ? new Date(payload.slotEndsAt) : detail.endsAt;
    return {
      kind,
      audience,
      recipientName: audience === 'attendee' ? (detail.attendeeName ?? '') : (detail.staffName ?? 'Conseillère, conseiller'),
      identity,
      publicUrl: this.config.publicUrl,
      event: {
        type: detail.workshopTitle ? 'workshop' : 'permanence',
        title: detail.workshopTitle ?? `Permanence de la ${identity.name}`,
        date: when(startsAt).toFormat('cccc d LLLL yyyy'),
        startTime: when(startsAt).toFormat('HH:mm'),
        endTime: when(endsAt).toFormat('HH:mm'),
        location: detail.location ?? '',
        advisorName: detail.advisorName,
      },
      previous: previous(payload, detail, zone),
      attendee: { name: detail.attendeeName ?? '', email: detail.attendeeEmail ?? '', phone: detail.attendeePhone },
      organisation: {
        name: detail.organisationName ?? '',
        legalForm: labels.legalForm(detail.organisationLegalForm),
      },
      topics: (detail.topics ?? []).map(labels.topic),
      message: detail.message,
      waitlistPosition: detail.waitlistPosition,
      // A registration cancelled while still waiting had no seat (and gets no calendar CANCEL).
      onWaitlist: payload.hadSeat === false,
      nextPermanence:
        detail.nextStartsAt && detail.nextEndsAt
          ? {
              date: when(detail.nextStartsAt, nextZone).toFormat('cccc d LLLL yyyy'),
              startTime: when(detail.nextStartsAt, nextZone).toFormat('HH:mm'),
              endTime: when(detail.nextEndsAt, nextZone).toFormat('HH:mm'),
              location: detail.nextLocation ?? '',
            }
          : null,
      reason: typeof payload.reason === 'string' ? payload.reason : null,
      manageUrl:
        audience === 'attendee' && detail.bookingId && kind !== 'satisfaction'
          ? manageUrl(this.config.publicUrl, detail.bookingId, this.tokens.issue(detail.bookingId).token)
          : null,
      hasInvite,
      satisfaction: kind === 'satisfaction' && detail.bookingId ? this.satisfaction(detail, detail.bookingId, when(endsAt)) : null,
    };
  }

  /**
   * The e-mail's answer links are those of the first link generation: a message sent again is the
   * same. A workshop attendee (only those marked present are asked) also gets their certificate.
   */
  private satisfaction(detail: MessageDetail, bookingId: string, endsAt: DateTime): MailContext['satisfaction'] {
    return {
      answers: SATISFACTION_SCORES.map(({ score, label }) => ({ score, label, url: this.satisfactionLinks.answerUrl(bookingId, 0, score) })),
      optOutUrl: this.satisfactionLinks.optOutUrl(bookingId),
      attestationUrl: detail.workshopTitle ? attestationUrl(this.config.publicUrl, bookingId, this.tokens.issue(bookingId).token) : null,
      openUntil: endsAt.plus({ days: ANSWER_DAYS }).toFormat('cccc d LLLL yyyy'),
    };
  }

  private invite(detail: MessageDetail, method: InviteMethod, context: MailContext): string {
    return buildInvite({
      uid: detail.icalUid!,
      sequence: detail.icalSequence ?? detail.sequence ?? 0,
      method,
      startsAt: detail.startsAt!,
      endsAt: detail.endsAt!,
      timeZone: detail.timeZone ?? PROGRAMME_TIME_ZONE,
      summary: context.event.title,
      description: [
        context.event.advisorName ? `Avec ${context.event.advisorName}.` : null,
        context.manageUrl ? `${context.event.type === 'workshop' ? 'Gérer votre inscription' : 'Gérer votre rendez-vous'} : ${context.manageUrl}` : null,
      ]
        .filter(Boolean)
        .join('\n'),
      location: context.event.location,
      organizer: { name: `${this.config.identity.name} – Rendez-vous ESS`, email: this.config.organizerEmail },
      attendee: { name: context.recipientName, email: detail.recipient },
      stamp: detail.createdAt,
    });
  }
}

function inviteMethod(kind: MailKind, detail: MessageDetail): InviteMethod | null {
  if (!detail.icalUid || !detail.startsAt) return null;
  if (REQUEST_KINDS.has(kind)) return 'REQUEST';
  if (CANCEL_KINDS.has(kind) && detail.payload?.hadSeat !== false) return 'CANCEL';
  return null;
}

/** Where and when it was before a move or a reschedule, from what the change recorded. */
function previous(payload: MessageDetail['payload'], detail: MessageDetail, zone: string): MailContext['previous'] {
  const duration = detail.startsAt && detail.endsAt ? detail.endsAt.getTime() - detail.startsAt.getTime() : 0;
  let start: DateTime | null = null;
  if (typeof payload.previousStartsAt === 'string') start = DateTime.fromISO(payload.previousStartsAt, { zone });
  else if (typeof payload.previousDate === 'string' && detail.startsAt) {
    const current = DateTime.fromJSDate(detail.startsAt, { zone });
    start = DateTime.fromISO(payload.previousDate, { zone }).set({ hour: current.hour, minute: current.minute });
  }
  if (!start || !start.isValid) return null;
  const french = start.setLocale('fr');
  return { date: french.toFormat('cccc d LLLL yyyy'), startTime: french.toFormat('HH:mm'), endTime: french.plus({ milliseconds: duration }).toFormat('HH:mm') };
}
