import { DateTime } from 'luxon';
import { CalendarError } from './calendar-error';
import { addDays, addMonths, instantToLocal, isLocalDate, isValidTimeZone, isWallTime, todayIn, wallTimeToInstant } from './local-date';

describe(isLocalDate.name, () => {
  it('accepts real calendar dates, leap days included', () => {
    expect(['2026-01-01', '2028-02-29', '2026-12-31'].map(isLocalDate)).toEqual([true, true, true]);
  });

  it('rejects impossible dates and loose formats', () => {
    const bad = ['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '2026-01-01T00:00', ' 2026-01-01', '20260101', ''];
    expect(bad.filter(isLocalDate)).toEqual([]);
  });
});

describe(isWallTime.name, () => {
  it('accepts 00:00 to 23:59 only in HH:mm', () => {
    expect(['00:00', '09:30', '23:59'].map(isWallTime)).toEqual([true, true, true]);
    expect(['24:00', '9:00', '09:60', '09:00:00', ''].filter(isWallTime)).toEqual([]);
  });
});

describe(isValidTimeZone.name, () => {
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('America/Cayenne')).toBe(true);
    expect(isValidTimeZone('Europe/Lyon')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe(addDays.name, () => {
  it('crosses month, year and DST boundaries by whole calendar days', () => {
    expect(addDays('2025-12-25', 7)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-26', 7)).toBe('2026-04-02');
    expect(addDays('2026-10-22', 7)).toBe('2026-10-29');
  });

  it('refuses an invalid date or a fractional day count', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(CalendarError);
    expect(() => addDays('2026-02-01', 1.5)).toThrow(CalendarError);
  });
});

describe(addMonths.name, () => {
  it('keeps the day of month and clamps to the end of shorter months', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
});

describe(todayIn.name, () => {
  it('gives the local date in the zone, not the UTC or host date', () => {
    const now = new Date('2026-03-31T22:30:00Z');
    expect(todayIn('Europe/Paris', now)).toBe('2026-04-01');
    expect(todayIn('UTC', now)).toBe('2026-03-31');
    expect(todayIn('America/Cayenne', now)).toBe('2026-03-31');
  });

  it('refuses an unknown zone', () => {
    expect(() => todayIn('Mars/Olympus', new Date())).toThrow(CalendarError);
  });
});

describe(wallTimeToInstant.name, () => {
  it('uses UTC+1 in winter and UTC+2 in summer for Europe/Paris', () => {
    expect(wallTimeToInstant('2026-01-29', '09:00', 'Europe/Paris').toISOString()).toBe('2026-01-29T08:00:00.000Z');
    expect(wallTimeToInstant('2026-07-30', '09:00', 'Europe/Paris').toISOString()).toBe('2026-07-30T07:00:00.000Z');
  });

  it('moves a time inside the spring-forward gap forward by the gap (02:30 becomes 03:30 CEST)', () => {
    const instant = wallTimeToInstant('2026-03-29', '02:30', 'Europe/Paris');
    expect(instant.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(instantToLocal(instant, 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '03:30' });
  });

  it('takes the first occurrence (summer offset) of a time repeated by the fall-back switch', () => {
    const luxonDefault = DateTime.fromObject({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, { zone: 'Europe/Paris' });
    expect(luxonDefault.offset).toBe(60);
    expect(wallTimeToInstant('2026-10-25', '02:30', 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('refuses bad dates, times and zones', () => {
    expect(() => wallTimeToInstant('2026-02-30', '09:00', 'Europe/Paris')).toThrow(CalendarError);
    expect(() => wallTimeToInstant('2026-02-03', '24:00', 'Europe/Paris')).toThrow(CalendarError);
    expect(() => wallTimeToInstant('2026-02-03', '09:00', 'Paris')).toThrow(CalendarError);
  });
});

describe(instantToLocal.name, () => {
  it('reads an instant as the date and wall time in the zone', () => {
    const instant = new Date('2026-12-31T23:15:00Z');
    expect(instantToLocal(instant, 'Europe/Paris')).toEqual({ date: '2027-01-01', time: '00:15' });
    expect(instantToLocal(instant, 'America/Los_Angeles')).toEqual({ date: '2026-12-31', time: '15:15' });
  });

  it('refuses an invalid Date', () => {
    expect(() => instantToLocal(new Date(Number.NaN), 'Europe/Paris')).toThrow(CalendarError);
  });
});
