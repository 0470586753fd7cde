import { frenchDate, frenchDuration, frenchHour } from './attestations.service';

describe('the wording of an attendance certificate', () => {
  it('writes a length in hours and minutes', () => {
    expect(frenchDuration(210)).toBe('3 h 30 min');
    expect(frenchDuration(180)).toBe('3 h');
    expect(frenchDuration(65)).toBe('1 h 05 min');
    expect(frenchDuration(45)).toBe('45 min');
  });

  it('writes times and dates as French people do', () => {
    expect(frenchHour('09:00')).toBe('9 h');
    expect(frenchHour('12:30')).toBe('12 h 30');
    expect(frenchDate('2027-03-18')).toBe('jeudi 18 mars 2027');
    expect(frenchDate('2027-04-01')).toBe('jeudi 1er avril 2027');
  });
});
