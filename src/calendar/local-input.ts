import { DateTime } from 'luxon';

/** An instant as `<input type="datetime-local">` shows it, in the zone's wall time. */
export function instantToLocalInput(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm");
}

/**
 * A `datetime-local` value (or, from a browser without that input, `jj/mm/aaaa hh:mm`) read as the
 * zone's wall time, as the UTC instant the API takes. Anything unreadable is passed on as typed, so
 * the DTO's own rule reports it next to the field.
 */
export function localInputToInstant(value: string, zone: string): string {
  const typed = value.trim();
  const iso = DateTime.fromISO(typed, { zone });
  const date = iso.isValid ? iso : DateTime.fromFormat(typed.replace(/\s+/g, ' '), 'd/L/yyyy H:mm', { zone });
  return date.isValid ? date.toUTC().toISO() : value;
}

/** Whether the value is an ISO 8601 instant (with its offset or Z). */
export function isIsoInstant(value: string): boolean {
  return DateTime.fromISO(value, { setZone: true }).isValid;
}
