import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendar, ICalCalendarMethod, ICalEventData, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

/**
 * Every calendar file of the service: invites (iTIP, RFC 5546), subscribable feeds and downloads
 * (RFC 5545 with RFC 7986's NAME and REFRESH-INTERVAL). Times carry TZID with a VTIMEZONE block; they
 * go to ical-generator as luxon DateTimes in the event's zone, so the host's zone never leaks in.
 *
 * The calendars get no time zone of their own (`name: null`, only the VTIMEZONE generator): with one,
 * ical-generator writes DTSTAMP in that zone without `Z`, where RFC 5545 §3.8.7.2 requires UTC, and
 * adds a `TIMEZONE-ID:` line that is no property of RFC 5545.
 */

/** One event as the service describes it. */
export interface CalendarEvent {
  /** Stable: a booking's persisted UID, or the session's or workshop's. */
  uid: string;
  /** Increased on every change; a client applies only a higher one. */
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  summary: string;
  description: string;
  location: string;
  cancelled: boolean;
  /** DTSTAMP: the event's last change (not the time of sending), so an unchanged file is byte-identical. */
  stamp: Date;
  url?: string;
}

/** An event of a feed or a download: no ORGANIZER or ATTENDEE. */
export type FeedEvent = CalendarEvent;

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InviteEvent extends Omit<CalendarEvent, 'cancelled'> {
  method: InviteMethod;
  organizer: { name: string; email: string };
  /** The only attendee: the recipient, so nobody sees anybody else's address. */
  attendee: { name: string; email: string };
}

export interface FeedOptions {
  name: string;
  description: string;
  timeZone: string;
  /** How often subscribed clients should fetch again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshMinutes: number;
  /** METHOD:PUBLISH for a one-off file to import; none for a subscription. */
  publish?: boolean;
}

const PRODUCT_ID = { company: 'CRESS', product: 'Rendez-vous ESS', language: 'FR' };
const VTIMEZONES = { name: null, generator: getVtimezoneComponent };

/** METHOD:REQUEST adds or updates the event; METHOD:CANCEL (same UID, higher SEQUENCE) removes it. */
export function buildInvite(event: InviteEvent): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: event.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: VTIMEZONES,
  });
  addEvent(
    calendar,
    { ...event, cancelled: event.method === 'CANCEL' },
    {
      organizer: event.organizer,
      attendees: [{ name: event.attendee.name, email: event.attendee.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.ACCEPTED, rsvp: false }],
    },
  );
  return calendar.toString();
}

/** A calendar of events for subscription (webcal) or download. */
export function buildFeed(options: FeedOptions, events: FeedEvent[]): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    name: options.name,
    description: options.description,
    timezone: VTIMEZONES,
    // The zone Google and Apple show a subscribed calendar in (an X- property, allowed by §3.8.8.2).
    x: [['X-WR-TIMEZONE', options.timeZone]],
    ttl: options.refreshMinutes * 60,
    ...(options.publish ? { method: ICalCalendarMethod.PUBLISH } : {}),
  });
  for (const event of events) addEvent(calendar, event);
  return calendar.toString();
}

function addEvent(calendar: ICalCalendar, event: CalendarEvent, extra: Partial<ICalEventData> = {}): void {
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    stamp: DateTime.fromJSDate(event.stamp, { zone: 'utc' }),
    start: DateTime.fromJSDate(event.startsAt, { zone: event.timeZone }),
    end: DateTime.fromJSDate(event.endsAt, { zone: event.timeZone }),
    timezone: event.timeZone,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(event.url ? { url: event.url } : {}),
    ...extra,
  });
}
