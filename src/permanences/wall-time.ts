import { instantToLocal } from '../calendar';

/** PostgreSQL returns a `time` as `HH:mm:ss`; the calendar works in `HH:mm`. */
export function wall(time: string): string {
  return time.slice(0, 5);
}

/** The wall-clock start and end of a session or slot in its zone. */
export function wallRange(range: { startsAt: Date; endsAt: Date }, zone: string): { start: string; end: string } {
  return { start: instantToLocal(range.startsAt, zone).time, end: instantToLocal(range.endsAt, zone).time };
}
