import { DateTime } from 'luxon';
import { CalendarError } from './calendar-error';
import { occurrenceDates } from './recurrence';
import { sessionBounds, slotLayout } from './slots';

const PARIS = 'Europe/Paris';

function parisWallClock(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: PARIS }).toFormat('yyyy-MM-dd HH:mm');
}

describe(sessionBounds.name, () => {
  // Last Thursdays of March and October around each switch (last Sunday of the month).
  const cases: Array<[date: string, why: string, startsAt: string, endsAt: string]> = [
    ['2025-03-27', 'before the 2025-03-30 switch', '2025-03-27T08:00:00.000Z', '2025-03-27T12:00:00.000Z'],
    ['2025-10-30', 'after the 2025-10-26 switch', '2025-10-30T08:00:00.000Z', '2025-10-30T12:00:00.000Z'],
    ['2026-03-26', 'before the 2026-03-29 switch', '2026-03-26T08:00:00.000Z', '2026-03-26T12:00:00.000Z'],
    ['2026-10-29', 'after the 2026-10-25 switch', '2026-10-29T08:00:00.000Z', '2026-10-29T12:00:00.000Z'],
    ['2027-03-25', 'before the 2027-03-28 switch', '2027-03-25T08:00:00.000Z', '2027-03-25T12:00:00.000Z'],
    ['2027-10-28', 'before the 2027-10-31 switch', '2027-10-28T07:00:00.000Z', '2027-10-28T11:00:00.000Z'],
    ['2029-03-29', 'after the 2029-03-25 switch', '2029-03-29T07:00:00.000Z', '2029-03-29T11:00:00.000Z'],
    ['2030-10-31', 'after the 2030-10-27 switch', '2030-10-31T08:00:00.000Z', '2030-10-31T12:00:00.000Z'],
  ];

  it('takes its March and October dates from the last-Thursday rule', () => {
    const rule = occurrenceDates('FREQ=MONTHLY;BYDAY=-1TH;BYMONTH=3,10', '2025-01-01', '2025-01-01', '2030-12-31');
    for (const [date] of cases) expect(rule).toContain(date);
  });

  it.each(cases)('places 09:00–13:00 Paris on %s (%s) at the right UTC instants', (date, _why, startsAt, endsAt) => {
    const bounds = sessionBounds(date, '09:00', '13:00', PARIS);
    expect(bounds.startsAt.toISOString()).toBe(startsAt);
    expect(bounds.endsAt.toISOString()).toBe(endsAt);
    expect(parisWallClock(bounds.startsAt)).toBe(`${date} 09:00`);
    expect(parisWallClock(bounds.endsAt)).toBe(`${date} 13:00`);
  });

  it('places 09:00–13:00 Paris in summer at 07:00Z–11:00Z', () => {
    for (const date of occurrenceDates('FREQ=MONTHLY;BYDAY=-1TH', '2026-01-01', '2026-05-01', '2026-09-30')) {
      const bounds = sessionBounds(date, '09:00', '13:00', PARIS);
      expect([bounds.startsAt.toISOString(), bounds.endsAt.toISOString()]).toEqual([`${date}T07:00:00.000Z`, `${date}T11:00:00.000Z`]);
    }
  });

  it('places the same wall times in another zone', () => {
    const bounds = sessionBounds('2026-07-30', '09:00', '13:00', 'America/Cayenne');
    expect(bounds.startsAt.toISOString()).toBe('2026-07-30T12:00:00.000Z');
  });

  // Found by calendar.property.spec.ts: the start moved forward by the gap (03:30 summer time) came after
  // the end (03:15) and after the 03:00 slot, and PostgreSQL refused the session (ends_at > starts_at).
  it('starts a session whose start the spring-forward switch skips at the switch, so that it ends after it starts', () => {
    const bounds = sessionBounds('2026-03-29', '02:30', '03:15', PARIS);
    expect([bounds.startsAt.toISOString(), bounds.endsAt.toISOString()]).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T01:15:00.000Z']);
    expect(parisWallClock(bounds.startsAt)).toBe('2026-03-29 03:00');
  });

  it('keeps the slots of a session whose start the switch skips within the session', () => {
    const bounds = sessionBounds('2026-03-29', '02:30', '05:00', PARIS);
    const slots = slotLayout('2026-03-29', '02:30', '05:00', 30, PARIS);
    expect(slots.map((s) => parisWallClock(s.startsAt).slice(11))).toEqual(['03:00', '03:30', '04:00', '04:30']);
    expect(slots[0].startsAt).toEqual(bounds.startsAt);
    expect(slots[3].endsAt).toEqual(bounds.endsAt);
  });

  it('refuses a range the spring-forward switch skips whole', () => {
    expect(() => sessionBounds('2026-03-29', '02:15', '03:00', PARIS)).toThrow(CalendarError);
  });

  it('refuses an end that is not after the start', () => {
    expect(() => sessionBounds('2026-03-26', '13:00', '13:00', PARIS)).toThrow(CalendarError);
    expect(() => sessionBounds('2026-03-26', '13:00', '09:00', PARIS)).toThrow(CalendarError);
  });
});

describe(slotLayout.name, () => {
  const iso = (slots: Array<{ startsAt: Date; endsAt: Date }>) =>
    slots.map((s) => `${s.startsAt.toISOString().slice(11, 16)}-${s.endsAt.toISOString().slice(11, 16)}`);

  it('cuts 09:00–13:00 into four one-hour slots', () => {
    expect(iso(slotLayout('2026-03-26', '09:00', '13:00', 60, PARIS))).toEqual(['08:00-09:00', '09:00-10:00', '10:00-11:00', '11:00-12:00']);
  });

  it('drops a trailing remainder shorter than a slot', () => {
    const slots = slotLayout('2026-07-30', '09:00', '13:00', 45, PARIS);
    expect(slots.map((s) => parisWallClock(s.startsAt).slice(11))).toEqual(['09:00', '09:45', '10:30', '11:15', '12:00']);
    expect(parisWallClock(slots[4].endsAt).slice(11)).toBe('12:45');
  });

  it('lays slots out on the wall clock across the spring-forward switch, skipping the missing hour', () => {
    const slots = slotLayout('2026-03-29', '01:00', '05:00', 60, PARIS);
    expect(slots.map((s) => `${parisWallClock(s.startsAt).slice(11)}-${parisWallClock(s.endsAt).slice(11)}`)).toEqual([
      '01:00-03:00',
      '03:00-04:00',
      '04:00-05:00',
    ]);
    expect(iso(slots)).toEqual(['00:00-01:00', '01:00-02:00', '02:00-03:00']);
  });

  it('never overlaps slots when a spring-forward switch swallows part of one', () => {
    const slots = slotLayout('2026-03-29', '01:30', '04:30', 45, PARIS);
    // Wall 01:30–02:15 would end at 03:15 summer time, over the 03:00 slot.
    expect(iso(slots)).toEqual(['01:00-01:45', '01:45-02:30']);
    expect(slots.map((s) => parisWallClock(s.startsAt).slice(11))).toEqual(['03:00', '03:45']);
  });

  it('keeps every slot one slot long across the fall-back switch, leaving out the one the repeated hour stretches', () => {
    expect(iso(slotLayout('2026-10-25', '01:00', '04:00', 60, PARIS))).toEqual(['23:00-00:00', '00:00-01:00', '02:00-03:00']);
    expect(iso(slotLayout('2026-10-25', '01:30', '04:30', 60, PARIS))).toEqual(['23:30-00:30', '02:30-03:30']);
  });

  it.each([
    ['end before start', '13:00', '09:00', 60],
    ['end equal to start', '09:00', '09:00', 60],
    ['slot under 5 minutes', '09:00', '13:00', 4],
    ['slot over 480 minutes', '00:00', '23:00', 481],
    ['fractional slot', '09:00', '13:00', 30.5],
    ['bad time', '9:00', '13:00', 60],
  ])('refuses %s', (_why, start, end, minutes) => {
    expect(() => slotLayout('2026-03-26', start, end, minutes, PARIS)).toThrow(CalendarError);
  });

  it('gives no slot when the range is shorter than one slot', () => {
    expect(slotLayout('2026-03-26', '09:00', '09:30', 45, PARIS)).toEqual([]);
  });
});
