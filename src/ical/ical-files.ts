import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InviteEvent {
  /** The booking's persisted UID: the same from confirmation to cancellation. */
  uid: string;
  /** Persisted and increased on every change; a client applies only a higher one. */
  sequence: number;
  method: InviteMethod;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  /** The only attendee: the recipient, so nobody sees anybody else's address. */
  attendee: { name: string; email: string };
  /** DTSTAMP: when this version was made (the change), not when it was sent. */
  stamp: Date;
}

const PRODUCT_ID = { company: 'CRESS', product: 'Rendez-vous ESS', language: 'FR' };

/** An event of a subscribable feed or a downloaded file: no METHOD (or PUBLISH), no ORGANIZER or ATTENDEE. */
export interface FeedEvent {
  uid: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  summary: string;
  description: string;
  location: string;
  cancelled: boolean;
  /** DTSTAMP: the event's last change, so an unchanged feed is byte-identical. */
  stamp: Date;
  url?: string;
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

/** A calendar of events for subscription (webcal) or download, RFC 5545 with RFC 7986 properties. */
export function buildFeed(options: FeedOptions, events: FeedEvent[]): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    name: options.name,
    description: options.description,
    timezone: { name: options.timeZone, generator: getVtimezoneComponent },
    ttl: options.refreshMinutes * 60,
    ...(options.publish ? { method: ICalCalendarMethod.PUBLISH } : {}),
  });
  for (const event of events) {
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
    });
  }
  return calendar.toString();
}

/**
 * An iTIP invite (RFC 5546): METHOD:REQUEST to add or update the event, METHOD:CANCEL (same UID,
 * higher SEQUENCE, STATUS:CANCELLED) to remove it. Times carry TZID with a VTIMEZONE block; they
 * are given to ical-generator as luxon DateTimes so the host's zone never leaks into them.
 */
export function buildInvite(event: InviteEvent): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: event.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: event.timeZone, generator: getVtimezoneComponent },
  });
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
    status: event.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: event.organizer,
    attendees: [
      {
        name: event.attendee.name,
        email: event.attendee.email,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      },
    ],
  });
  return calendar.toString();
}
