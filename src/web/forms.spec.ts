import { DomainError } from '../common/domain-error';
import { formFailure, toLocalDate } from './forms';
import { frenchHour, frenchLocalDate } from './views';

describe('formFailure', () => {
  it('gives a refused form the status the API gives the same code, and 422 for field errors', () => {
    expect(formFailure(new DomainError('registration_closed', 'Closes.'), ['registration_closed']).status).toBe(422);
    expect(formFailure(new DomainError('slot_full', 'Complet.'), ['slot_full']).status).toBe(409);
    expect(formFailure(new DomainError('workshop_not_found', 'Inconnu.'), ['workshop_not_found']).status).toBe(404);
    const invalid = formFailure(new DomainError('validation_failed', 'Invalide.', [{ field: 'date', message: 'Date attendue au format AAAA-MM-JJ.' }]), [
      'validation_failed',
    ]);
    expect(invalid).toMatchObject({ status: 422, errors: { date: 'Indiquez une date valide, par exemple 31/12/2026.' } });
  });

  it('leaves any other error to the error page', () => {
    const error = new DomainError('forbidden', 'Non.');
    expect(() => formFailure(error, ['validation_failed'])).toThrow(error);
    expect(() => formFailure(new Error('boom'), ['validation_failed'])).toThrow('boom');
  });
});

describe('French dates on pages', () => {
  it('reads a date typed as people write it', () => {
    expect(toLocalDate('31/12/2026')).toBe('2026-12-31');
    expect(toLocalDate(' 1.2.2027 ')).toBe('2027-02-01');
    expect(toLocalDate('2026-12-31')).toBe('2026-12-31');
    expect(toLocalDate('demain')).toBe('demain');
  });

  it('writes the first of the month "1er", and hours as "9 h", "9 h 30"', () => {
    expect(frenchLocalDate('2027-01-01')).toBe('vendredi 1er janvier 2027');
    expect(frenchLocalDate('2026-12-31')).toBe('jeudi 31 décembre 2026');
    expect([frenchHour('09:00'), frenchHour('09:30'), frenchHour('13:00')]).toEqual(['9 h', '9 h 30', '13 h']);
  });
});
