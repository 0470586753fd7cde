import { isInstant } from './validators';

describe(isInstant.name, () => {
  it.each([
    ['2027-03-18T09:00:00Z', 'no fraction'],
    ['2027-03-18T09:00:00.1Z', 'one fraction digit'],
    ['2027-03-18T09:00:00.123Z', 'three fraction digits'],
    ['2027-03-18T09:00:00.123456Z', 'six fraction digits (Python, PostgreSQL)'],
    ['2027-03-18T09:00:00.123456789+01:00', 'nine fraction digits (Go)'],
    ['2027-03-18t09:00:00.5z', 'lower-case t and z (RFC 3339 §5.6 note)'],
    ['2027-03-18T09:00+01:00', 'no seconds'],
  ])('accepts %s (%s)', (value) => {
    expect(isInstant(value)).toBe(true);
  });

  it.each([
    ['2027-03-18T09:00:00', 'no offset'],
    ['2027-03-18T09:00:00.Z', 'a dot without digits'],
    ['2027-03-18T09:00:00.12a4Z', 'a letter among the digits'],
    ['2027-03-18T09:00.123Z', 'a fraction without seconds'],
    ['2027-02-30T09:00:00.000000Z', 'a date that does not exist'],
    ['2027-03-18T25:00:00Z', 'an hour that does not exist'],
    ['2027-03-18 09:00:00Z', 'a space for the T'],
  ])('refuses %s (%s)', (value) => {
    expect(isInstant(value)).toBe(false);
  });

  it('reads six and nine fraction digits as the same millisecond as three', () => {
    expect(new Date('2027-03-18T09:00:00.123456Z').toISOString()).toBe('2027-03-18T09:00:00.123Z');
    expect(new Date('2027-03-18T09:00:00.123999999+01:00').toISOString()).toBe('2027-03-18T08:00:00.123Z');
  });
});
