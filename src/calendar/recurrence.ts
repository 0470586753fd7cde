import { RRule } from 'rrule';
import { CalendarError } from './calendar-error';
import { isLocalDate, type LocalDate } from './local-date';

const FREQUENCIES = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY']);
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const BYDAY_ITEM = new RegExp(`^([+-]?\\d{1,2})?${WEEKDAY}$`);

// Every part is checked here because RRule.parseString is lax: it drops an unknown FREQ, keeps
// INTERVAL=0 (which never advances) and turns a bad BYDAY into null instead of failing.
// Absent on purpose: DTSTART (the series' anchor date is authoritative), TZID (rules are floating
// dates; zones are applied afterwards) and BYHOUR/BYMINUTE/BYSECOND (occurrences are whole days).
const PART_CHECKS: Record<string, (value: string) => boolean> = {
  FREQ: (v) => FREQUENCIES.has(v),
  INTERVAL: (v) => isIntIn(v, 1, 1000),
  COUNT: (v) => isIntIn(v, 1, 100000),
  // A date-only UNTIL is a floating date; a UTC instant would be compared against wall dates.
  UNTIL: (v) => /^\d{8}$/.test(v) && isLocalDate(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`),
  // All ordinals (1MO,-1FR) or all plain weekdays (TU,TH): of a mix, rrule keeps only the days matching
  // both halves (MO,1MO gives the first Monday only, TU,1MO nothing) where RFC 5545 means either.
  BYDAY: (v) =>
    list(v, (item) => {
      const m = BYDAY_ITEM.exec(item);
      return m !== null && (m[1] === undefined || isSignedIntIn(m[1], 1, 53));
    }) && new Set(v.split(',').map((item) => BYDAY_ITEM.exec(item)![1] === undefined)).size === 1,
  BYMONTHDAY: (v) => list(v, (n) => isSignedIntIn(n, 1, 31)),
  BYYEARDAY: (v) => list(v, (n) => isSignedIntIn(n, 1, 366)),
  BYWEEKNO: (v) => list(v, (n) => isSignedIntIn(n, 1, 53)),
  BYMONTH: (v) => list(v, (n) => isIntIn(n, 1, 12)),
  BYSETPOS: (v) => list(v, (n) => isSignedIntIn(n, 1, 366)),
  WKST: (v) => new RegExp(`^${WEEKDAY}$`).test(v),
};

function isIntIn(s: string, min: number, max: number): boolean {
  return /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max;
}

function isSignedIntIn(s: string, min: number, max: number): boolean {
  return /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) >= min && Math.abs(Number(s)) <= max;
}

function list(value: string, check: (item: string) => boolean): boolean {
  return value.split(',').every(check);
}

/**
 * Validates an RRULE body such as 'FREQ=MONTHLY;BYDAY=-1TH' and returns it normalised
 * (upper case, no 'RRULE:' prefix). Throws CalendarError with the reason otherwise.
 */
export function parseRecurrenceRule(rule: string): string {
  if (typeof rule !== 'string' || /[\r\n]/.test(rule)) {
    throw new CalendarError('Recurrence rule must be a single RRULE line');
  }
  const body = rule
    .trim()
    .toUpperCase()
    .replace(/^RRULE:/, '');
  if (body === '') throw new CalendarError('Recurrence rule is empty');
  const seen = new Set<string>();
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq) : part;
    const value = eq > 0 ? part.slice(eq + 1) : '';
    const check = PART_CHECKS[key];
    if (check === undefined) throw new CalendarError(`Recurrence rule part "${key}" is not supported`);
    if (seen.has(key)) throw new CalendarError(`Recurrence rule repeats ${key}`);
    seen.add(key);
    if (!check(value)) throw new CalendarError(`Recurrence rule has an invalid ${key}: "${value}"`);
  }
  if (!seen.has('FREQ')) {
    throw new CalendarError('Recurrence rule needs FREQ=YEARLY, MONTHLY, WEEKLY or DAILY');
  }
  if (seen.has('COUNT') && seen.has('UNTIL')) {
    throw new CalendarError('Recurrence rule cannot have both COUNT and UNTIL');
  }
  try {
    RRule.parseString(body);
  } catch (error) {
    throw new CalendarError(`Recurrence rule does not parse: ${(error as Error).message}`);
  }
  return body;
}

function utcMidnight(date: LocalDate): number {
  if (!isLocalDate(date)) throw new CalendarError(`Invalid date "${date}": expected YYYY-MM-DD`);
  return Date.parse(`${date}T00:00:00Z`);
}

/**
 * Occurrence dates of `rule` starting from `anchorDate`, within [from, to] inclusive, in order.
 * rrule runs on floating dates held in UTC "slots" and read back with getUTC*: its TZID path
 * goes through the host's time zone, which would make the result depend on the server.
 */
export function occurrenceDates(rule: string, anchorDate: LocalDate, from: LocalDate, to: LocalDate): LocalDate[] {
  const options = RRule.parseString(parseRecurrenceRule(rule));
  const dtstart = new Date(utcMidnight(anchorDate));
  const after = new Date(utcMidnight(from));
  const before = new Date(utcMidnight(to) + (24 * 60 * 60 - 1) * 1000);
  if (after > before) return [];
  const rrule = new RRule({ ...options, dtstart }, true);
  return rrule.between(after, before, true).map((d) => d.toISOString().slice(0, 10));
}
