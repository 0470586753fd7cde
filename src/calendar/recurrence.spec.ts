import { DateTime } from 'luxon';
import { CalendarError } from './calendar-error';
import { occurrenceDates, parseRecurrenceRule } from './recurrence';

const LAST_THURSDAY = 'FREQ=MONTHLY;BYDAY=-1TH';

// Independent of rrule: the month's last day, stepped back to a Thursday (ISO weekday 4).
function lastThursdayByLuxon(year: number, month: number): string {
  const lastDay = DateTime.fromObject({ year, month, day: 1 }, { zone: 'utc' }).endOf('month').startOf('day');
  return lastDay.minus({ days: (lastDay.weekday - 4 + 7) % 7 }).toISODate()!;
}

describe(occurrenceDates.name, () => {
  it('gives the last Thursday of every month from 2025 to 2032, as computed independently', () => {
    const expected: string[] = [];
    for (let year = 2025; year <= 2032; year++) {
      for (let month = 1; month <= 12; month++) expected.push(lastThursdayByLuxon(year, month));
    }
    expect(expected).toHaveLength(96);
    expect(occurrenceDates(LAST_THURSDAY, '2025-01-01', '2025-01-01', '2032-12-31')).toEqual(expected);
  });

  it('gives known last Thursdays', () => {
    const dates = occurrenceDates(LAST_THURSDAY, '2026-01-01', '2026-11-01', '2027-01-31');
    expect(dates).toEqual(['2026-11-26', '2026-12-31', '2027-01-28']);
  });

  it('includes occurrences falling exactly on from and on to', () => {
    expect(occurrenceDates(LAST_THURSDAY, '2025-01-01', '2026-11-26', '2026-12-31')).toEqual(['2026-11-26', '2026-12-31']);
  });

  it('gives nothing before the anchor date', () => {
    expect(occurrenceDates(LAST_THURSDAY, '2026-06-01', '2026-01-01', '2026-08-31')).toEqual(['2026-06-25', '2026-07-30', '2026-08-27']);
  });

  it('gives nothing when from is after to', () => {
    expect(occurrenceDates(LAST_THURSDAY, '2025-01-01', '2026-12-31', '2026-01-01')).toEqual([]);
  });

  it('counts INTERVAL from the anchor date', () => {
    expect(occurrenceDates('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2026-03-03', '2026-03-01', '2026-04-10')).toEqual(['2026-03-03', '2026-03-17', '2026-03-31']);
  });

  it('stops at a date-only UNTIL, inclusive', () => {
    expect(occurrenceDates('FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260415', '2026-01-01', '2026-01-01', '2026-12-31')).toEqual([
      '2026-01-15',
      '2026-02-15',
      '2026-03-15',
      '2026-04-15',
    ]);
  });

  it('gives the union of a list of ordinal weekdays (the first Monday and the last Friday)', () => {
    expect(occurrenceDates('FREQ=MONTHLY;BYDAY=1MO,-1FR', '2000-01-01', '2000-01-01', '2000-03-31')).toEqual([
      '2000-01-03',
      '2000-01-28',
      '2000-02-07',
      '2000-02-25',
      '2000-03-06',
      '2000-03-31',
    ]);
  });

  it('refuses an invalid rule or date', () => {
    expect(() => occurrenceDates('FREQ=HOURLY', '2026-01-01', '2026-01-01', '2026-01-02')).toThrow(CalendarError);
    expect(() => occurrenceDates(LAST_THURSDAY, '2026-02-30', '2026-01-01', '2026-12-31')).toThrow(CalendarError);
  });
});

describe(parseRecurrenceRule.name, () => {
  it('normalises case and an RRULE: prefix', () => {
    expect(parseRecurrenceRule(' rrule:freq=monthly;byday=-1th ')).toBe(LAST_THURSDAY);
    expect(parseRecurrenceRule(LAST_THURSDAY)).toBe(LAST_THURSDAY);
  });

  it.each([
    ['', /empty/],
    ['BYDAY=-1TH', /FREQ/],
    ['FREQ=BOGUS', /FREQ/],
    ['FREQ=HOURLY', /FREQ/],
    ['FREQ=MINUTELY', /FREQ/],
    ['FREQ=MONTHLY;FOO=1', /FOO/],
    ['FREQ=MONTHLY;BYDAY=XX', /BYDAY/],
    ['FREQ=MONTHLY;BYDAY=-0TH', /BYDAY/],
    // rrule would give only the first Monday, and nothing at all for TU,1MO (found by calendar.property.spec.ts).
    ['FREQ=MONTHLY;BYDAY=MO,1MO', /BYDAY/],
    ['FREQ=MONTHLY;BYDAY=TU,1MO', /BYDAY/],
    ['FREQ=MONTHLY;BYMONTHDAY=40', /BYMONTHDAY/],
    ['FREQ=MONTHLY;INTERVAL=0', /INTERVAL/],
    ['FREQ=MONTHLY;INTERVAL=abc', /INTERVAL/],
    ['FREQ=MONTHLY;FREQ=WEEKLY', /repeats FREQ/],
    ['FREQ=DAILY;TZID=Europe/Paris', /TZID/],
    ['FREQ=DAILY;DTSTART=20260101', /DTSTART/],
    ['DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY', /single RRULE line/],
    ['FREQ=DAILY;BYHOUR=9', /BYHOUR/],
    ['FREQ=WEEKLY;UNTIL=20271231T100000Z', /UNTIL/],
    ['FREQ=WEEKLY;UNTIL=20270231', /UNTIL/],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20271231', /COUNT and UNTIL/],
  ])('refuses %j', (rule, message) => {
    expect(() => parseRecurrenceRule(rule)).toThrow(CalendarError);
    expect(() => parseRecurrenceRule(rule)).toThrow(message);
  });
});
