import ICAL from 'ical.js';
import * as nodeIcal from 'node-ical';

export interface EventStamp {
  uid: string;
  /** The zone ical.js reads DTSTAMP in: 'UTC' when it ends in Z, 'floating' when not. */
  icalZone: string;
  /** node-ical's: 'Etc/UTC' for a UTC value, undefined for a floating one. */
  nodeIcalZone: string | undefined;
  /** The instant as each parser reads it. */
  icalInstant: Date;
  nodeIcalInstant: Date;
}

/**
 * Every VEVENT's DTSTAMP as two independent parsers read it. RFC 5545 §3.8.7.2: "the value MUST be
 * specified in the UTC time format"; a floating value is read in the reader's own zone.
 */
export function eventStamps(ics: string): EventStamp[] {
  const nodeEvents = new Map(
    Object.values(nodeIcal.sync.parseICS(ics))
      .filter((component): component is nodeIcal.VEvent => component?.type === 'VEVENT')
      .map((event) => [event.uid, event]),
  );
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((event) => {
    const uid = String(event.getFirstPropertyValue('uid'));
    const stamp = event.getFirstPropertyValue('dtstamp') as ICAL.Time;
    const fromNode = nodeEvents.get(uid)!.dtstamp as Date & { tz?: string };
    return {
      uid,
      icalZone: stamp.zone?.tzid ?? 'floating',
      nodeIcalZone: fromNode.tz,
      icalInstant: stamp.toJSDate(),
      nodeIcalInstant: new Date(fromNode.getTime()),
    };
  });
}

/** What a DTSTAMP of `instant` must read as: UTC for both parsers, at that second. */
export function utcStampOf(uid: string, instant: Date): EventStamp {
  const second = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  return { uid, icalZone: 'UTC', nodeIcalZone: 'Etc/UTC', icalInstant: second, nodeIcalInstant: second };
}
