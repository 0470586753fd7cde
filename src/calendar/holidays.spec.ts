import { CalendarError } from './calendar-error';
import { frenchPublicHoliday } from './holidays';

describe(frenchPublicHoliday.name, () => {
  it('names the holidays that fall on a last Thursday in French', () => {
    expect(frenchPublicHoliday('2025-12-25')).toBe('Noël');
    expect(frenchPublicHoliday('2025-05-29')).toBe('Ascension');
    expect(frenchPublicHoliday('2026-01-01')).toBe('Nouvel An');
  });

  it('finds the movable feasts from Easter', () => {
    expect(frenchPublicHoliday('2026-04-06')).toBe('Lundi de Pâques');
    expect(frenchPublicHoliday('2026-05-14')).toBe('Ascension');
    expect(frenchPublicHoliday('2026-05-25')).toBe('Lundi de Pentecôte');
  });

  it('gives null for ordinary last Thursdays and for the days next to a holiday', () => {
    const ordinary = ['2025-11-27', '2026-01-29', '2026-05-28', '2026-10-29', '2025-12-24', '2025-12-26'];
    expect(ordinary.map(frenchPublicHoliday)).toEqual(ordinary.map(() => null));
  });

  it('leaves out regional and non-public days (Alsace-Moselle Saint-Étienne, Easter Sunday)', () => {
    expect(frenchPublicHoliday('2025-12-26')).toBeNull();
    expect(frenchPublicHoliday('2026-04-05')).toBeNull();
  });

  it('keeps holidays on their French date on the first and last day of the year', () => {
    expect(frenchPublicHoliday('2027-01-01')).toBe('Nouvel An');
    expect(frenchPublicHoliday('2026-12-31')).toBeNull();
    expect(frenchPublicHoliday('2027-01-02')).toBeNull();
  });

  it('refuses an invalid date', () => {
    expect(() => frenchPublicHoliday('2025-12-32')).toThrow(CalendarError);
  });
});
