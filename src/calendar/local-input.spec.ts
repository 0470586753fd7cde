import { instantToLocalInput, isIsoInstant, localInputToInstant } from './local-input';

describe('datetime-local values', () => {
  it('shows an instant in the zone’s wall time, winter and summer', () => {
    expect(instantToLocalInput('2027-01-14T08:00:00.000Z', 'Europe/Paris')).toBe('2027-01-14T09:00');
    expect(instantToLocalInput('2027-07-01T07:30:00.000Z', 'Europe/Paris')).toBe('2027-07-01T09:30');
  });

  it('reads a typed value as the zone’s wall time, in either format, and passes anything else on as typed', () => {
    expect(localInputToInstant(' 2027-07-01T09:30 ', 'Europe/Paris')).toBe('2027-07-01T07:30:00.000Z');
    expect(localInputToInstant('14/1/2027  9:00', 'Europe/Paris')).toBe('2027-01-14T08:00:00.000Z');
    expect(localInputToInstant('demain matin', 'Europe/Paris')).toBe('demain matin');
  });

  it('tells an ISO instant from other text', () => {
    expect(isIsoInstant('2027-07-01T07:30:00.000Z')).toBe(true);
    expect(isIsoInstant('demain matin')).toBe(false);
  });
});
