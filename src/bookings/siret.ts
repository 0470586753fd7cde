/**
 * A SIRET is 14 digits whose Luhn sum is a multiple of 10. La Poste's establishments (SIREN
 * 356 000 000) are numbered past what the key allows; INSEE checks them with a digit sum multiple of 5.
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith('356000000') && siret !== '35600000000048') {
    return [...siret].reduce((sum, digit) => sum + Number(digit), 0) % 5 === 0;
  }
  return luhnSum(siret) % 10 === 0;
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

/** Spaces and dots are how people write a SIRET ("123 456 789 00012"); they are not part of it. */
export function normaliseSiret(value: string): string {
  return value.replace(/[\s.]/g, '');
}
