import { isWorkingDay, nextWorkingDay } from './working-days';

describe('working days', () => {
  it('leaves out weekends and French public holidays', () => {
    expect(isWorkingDay('2026-12-04')).toBe(true); // a Friday
    expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
    expect(isWorkingDay('2026-12-06')).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-11')).toBe(false); // Armistice, a Wednesday
    expect(isWorkingDay('2027-01-01')).toBe(false); // New Year's Day, a Friday
  });

  it('gives the Monday after a Friday, and the day after a holiday after its eve', () => {
    expect(nextWorkingDay('2026-12-04')).toBe('2026-12-07');
    expect(nextWorkingDay('2026-11-10')).toBe('2026-11-12');
    // The last Thursday of 2026 is New Year's Eve: 1 January is a Friday holiday, then the weekend.
    expect(nextWorkingDay('2026-12-31')).toBe('2027-01-04');
    // Easter Monday 2027 is 29 March: the Friday before gives the Tuesday.
    expect(nextWorkingDay('2027-03-26')).toBe('2027-03-30');
    expect(nextWorkingDay('2026-12-01')).toBe('2026-12-02');
  });
});
