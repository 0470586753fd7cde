import { isValidSiret, normaliseSiret } from './siret';

describe(isValidSiret.name, () => {
  it.each([
    ['73282932000074', 'a well-known SIRET with a correct Luhn key'],
    ['35600000000048', 'La Poste head office, which follows the Luhn key'],
    ['35600000049837', 'a La Poste establishment, checked by digit sum multiple of 5'],
  ])('accepts %s (%s)', (siret) => {
    expect(isValidSiret(siret)).toBe(true);
  });

  it.each([
    ['73282932000075', 'a wrong key'],
    ['7328293200007', '13 digits'],
    ['732829320000740', '15 digits'],
    ['7328293200007A', 'a letter'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (siret) => {
    expect(isValidSiret(siret)).toBe(false);
  });

  it('detects every single-digit typo of a valid SIRET', () => {
    const valid = '73282932000074';
    for (let i = 0; i < valid.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (Number(valid[i]) === d) continue;
        const typo = valid.slice(0, i) + String(d) + valid.slice(i + 1);
        expect(isValidSiret(typo)).toBe(false);
      }
    }
  });

  it('ignores the spaces and dots people write', () => {
    expect(normaliseSiret('732 829 320 00074')).toBe('73282932000074');
    expect(normaliseSiret('732.829.320.00074')).toBe('73282932000074');
  });
});
