import { DateTime, IANAZone } from 'luxon';
import { CalendarError } from './calendar-error';

/** A calendar date with no zone, 'YYYY-MM-DD'. */
export type LocalDate = string;
/** A wall-clock time with no zone, 'HH:mm'. */
export type WallTime = string;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isLocalDate(s: string): boolean {
  return LOCAL_DATE.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;
}

export function isWallTime(s: string): boolean {
  return WALL_TIME.test(s);
}

/** Zones already found valid: luxon builds an Intl.DateTimeFormat for every check, which is slow on hot paths. */
const VALID_ZONES = new Set<string>();

export function isValidTimeZone(zone: string): boolean {
  if (VALID_ZONES.has(zone)) return true;
  const valid = typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
  if (valid) VALID_ZONES.add(zone);
  return valid;
}

// Dates are handled as UTC midnights so that no arithmetic ever crosses a DST switch.
function utcDate(date: LocalDate): DateTime {
  if (!isLocalDate(date)) throw new CalendarError(`Invalid date "${date}": expected YYYY-MM-DD`);
  return DateTime.fromISO(date, { zone: 'utc' });
}

function assertZone(zone: string): void {
  if (!isValidTimeZone(zone)) throw new CalendarError(`Unknown time zone "${zone}"`);
}

function assertInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new CalendarError(`${what} must be an integer, got ${n}`);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  assertInteger(days, 'days');
  return utcDate(date).plus({ days }).toISODate()!;
}

/** Clamps to the end of the month: addMonths('2026-01-31', 1) is '2026-02-28'. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  assertInteger(months, 'months');
  return utcDate(date).plus({ months }).toISODate()!;
}

/** Day of the week, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  return utcDate(date).weekday;
}

export function todayIn(zone: string, now: Date): LocalDate {
  return instantToLocal(now, zone).date;
}

export function wallTimeToMinutes(time: WallTime): number {
  if (!isWallTime(time)) throw new CalendarError(`Invalid time "${time}": expected HH:mm`);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export function minutesToWallTime(minutes: number): WallTime {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes >= 24 * 60) {
    throw new CalendarError(`Minutes ${minutes} are not a time of day`);
  }
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${hh}:${mm}`;
}

/**
 * The instant at which the clocks in `zone` show `time` on `date`, read as RFC 5545 §3.3.5 reads a
 * DATE-TIME with TZID, so that invites and feeds agree with what we store:
 * - a time skipped by the spring-forward switch (02:30 in Paris on the last Sunday of March) uses the
 *   offset before the gap, i.e. moves forward by the gap (03:30 summer time), as luxon does;
 * - a time repeated by the fall-back switch is its first occurrence (summer time). luxon would pick
 *   the second one, hence getPossibleOffsets().
 */
export function wallTimeToInstant(date: LocalDate, time: WallTime, zone: string): Date {
  const day = utcDate(date);
  const minutes = wallTimeToMinutes(time);
  assertZone(zone);
  const local = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone });
  if (!local.isValid) throw new CalendarError(`Cannot place ${date} ${time} in ${zone}: ${local.invalidExplanation}`);
  const earliest = Math.min(local.toMillis(), ...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
  return new Date(earliest);
}

export function instantToLocal(instant: Date, zone: string): { date: LocalDate; time: WallTime } {
  assertZone(zone);
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) throw new CalendarError(`Invalid instant: ${local.invalidExplanation}`);
  return { date: local.toISODate(), time: local.toFormat('HH:mm') };
}
