import { CalendarError } from './calendar-error';
import { applyHolidayPolicy, HOLIDAY_POLICIES, isHolidayPolicy, type HolidayPolicy } from './holiday-policy';

describe(applyHolidayPolicy.name, () => {
  it('leaves an ordinary day scheduled and unmoved whatever the policy', () => {
    for (const policy of HOLIDAY_POLICIES) {
      expect(applyHolidayPolicy('2026-01-29', policy)).toEqual({
        date: '2026-01-29',
        originalDate: null,
        status: 'scheduled',
        statusReason: null,
      });
    }
  });

  it('cancels a holiday occurrence with the holiday name as reason', () => {
    expect(applyHolidayPolicy('2025-05-29', 'cancel')).toEqual({
      date: '2025-05-29',
      originalDate: null,
      status: 'cancelled',
      statusReason: 'Ascension',
    });
  });

  it('moves a holiday occurrence to the previous week', () => {
    expect(applyHolidayPolicy('2025-05-29', 'previous_week')).toEqual({
      date: '2025-05-22',
      originalDate: '2025-05-29',
      status: 'scheduled',
      statusReason: 'Déplacée : Ascension',
    });
    expect(applyHolidayPolicy('2025-12-25', 'previous_week')).toEqual({
      date: '2025-12-18',
      originalDate: '2025-12-25',
      status: 'scheduled',
      statusReason: 'Déplacée : Noël',
    });
  });

  it('moves a holiday occurrence to the next week', () => {
    expect(applyHolidayPolicy('2025-05-29', 'next_week')).toEqual({
      date: '2025-06-05',
      originalDate: '2025-05-29',
      status: 'scheduled',
      statusReason: 'Déplacée : Ascension',
    });
  });

  it('cancels instead when the next week is a holiday too (Noël 2025 to Nouvel An 2026)', () => {
    expect(applyHolidayPolicy('2025-12-25', 'next_week')).toEqual({
      date: '2025-12-25',
      originalDate: null,
      status: 'cancelled',
      statusReason: 'Noël',
    });
  });

  it('cancels instead when the previous week is a holiday too', () => {
    // 2025-05-08 (Victoire) falls a week after 2025-05-01 (Fête du travail).
    expect(applyHolidayPolicy('2025-05-08', 'previous_week')).toMatchObject({
      date: '2025-05-08',
      status: 'cancelled',
      statusReason: 'Fête de la Victoire 1945',
    });
  });

  it('asks the given holiday calendar rather than the French one', () => {
    const calendar = (d: string) => (d === '2026-02-26' ? 'Fermeture' : null);
    expect(applyHolidayPolicy('2026-02-26', 'next_week', calendar)).toMatchObject({ date: '2026-03-05', statusReason: 'Déplacée : Fermeture' });
    expect(applyHolidayPolicy('2025-12-25', 'cancel', calendar).status).toBe('scheduled');
  });

  it('refuses an unknown policy', () => {
    expect(() => applyHolidayPolicy('2025-12-25', 'skip' as HolidayPolicy)).toThrow(CalendarError);
  });
});

describe(isHolidayPolicy.name, () => {
  it('recognises exactly the three policies', () => {
    expect(HOLIDAY_POLICIES.every(isHolidayPolicy)).toBe(true);
    expect(isHolidayPolicy('skip')).toBe(false);
  });
});
